// Where does a relationship between two entities come from: which articles, which sentences?
// name: relationship-provenance
// param: entity string example=JAC lookup=any One entity: id, name or alias
// param: other string example=KAMAZ lookup=any The other entity (relationships in either direction are listed): id, name or alias
// param: limit integer default=25 range=1..1000 At most this many rows (by relationship, fact, source)
// returns: relationship (its type), fact (the relationship as "A -[TYPE on X]-> B"), status (its status; null if not stated),
// returns: source (id of the article), title (the article's title), quote (the supporting sentence from that article),
// returns: path (graph: the two entities and the relationship)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($entity), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS a
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($other), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS b
MATCH path = (a)-[r]-(b)
WHERE NOT r:MENTIONS
UNWIND range(0, size(coalesce(r.sources, [])) - 1) AS i
OPTIONAL MATCH (s:Source {id: r.sources[i]})
RETURN type(r) AS relationship,
       startNode(r).name + ' -[' + type(r) + CASE WHEN r.on IS NULL THEN '' ELSE ' on ' + r.on END + ']-> '
         + endNode(r).name AS fact,
       r.status AS status, r.sources[i] AS source, s.title AS title, r.quotes[i] AS quote, path
ORDER BY relationship, fact, source
LIMIT toInteger($limit)
