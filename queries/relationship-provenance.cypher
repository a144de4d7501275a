// Where does a relationship between two entities come from: which articles, which sentences?
// name: relationship-provenance
// param: entity string example=JAC One entity: id, name or alias
// param: other string example=KAMAZ The other entity (relationships in either direction are listed): id, name or alias
// returns: relationship (its type), fact (the relationship as "A -[TYPE on X]-> B"), status (its status; null if not stated),
// returns: source (id of the article), title (the article's title), quote (the supporting sentence from that article),
// returns: path (graph: the two entities and the relationship)
CALL db.index.fulltext.queryNodes('entity_lookup', '"' + replace(replace($entity, '\\', ' '), '"', ' ') + '"') YIELD node AS a
WHERE toLower(a.id) = toLower($entity) OR toLower(a.name) = toLower($entity)
      OR any(x IN coalesce(a.aliases, []) WHERE toLower(x) = toLower($entity))
CALL db.index.fulltext.queryNodes('entity_lookup', '"' + replace(replace($other, '\\', ' '), '"', ' ') + '"') YIELD node AS b
WHERE toLower(b.id) = toLower($other) OR toLower(b.name) = toLower($other)
      OR any(x IN coalesce(b.aliases, []) WHERE toLower(x) = toLower($other))
MATCH path = (a)-[r]-(b)
WHERE NOT r:MENTIONS
UNWIND range(0, size(coalesce(r.sources, [])) - 1) AS i
OPTIONAL MATCH (s:Source {id: r.sources[i]})
RETURN type(r) AS relationship,
       startNode(r).name + ' -[' + type(r) + CASE WHEN r.on IS NULL THEN '' ELSE ' on ' + r.on END + ']-> '
         + endNode(r).name AS fact,
       r.status AS status, r.sources[i] AS source, s.title AS title, r.quotes[i] AS quote, path
ORDER BY relationship, fact, source
