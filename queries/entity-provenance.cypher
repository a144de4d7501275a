// Which articles mention an entity, and which sentences support each of its relationships?
// name: entity-provenance
// param: entity string example=SaryarkaAvtoProm lookup=any Any company, brand, model, plant, place, person or agreement: id, name or alias
// param: limit integer default=25 range=1..1000 At most this many rows: mentions first, then facts (sorted by source and fact)
// returns: kind (mention: the article names it; fact: a relationship of it), source (id of the article), title (the article's title),
// returns: fact (the relationship as "A -[TYPE on X]-> B", then "(ended)" or "(ended, until DATE)" if it ended; null for a mention), quote (the supporting sentence; null for a mention),
// returns: path (graph: the article and the entity, or the relationship)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($entity), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS e
// A country has tens of thousands of facts: the search stops at $limit of them, so which
// facts fill the answer past the mentions is not fixed; the rows answered are sorted.
CALL {
  WITH e
  MATCH path = (s:Source)-[:MENTIONS]->(e)
  RETURN 'mention' AS kind, s.id AS source, null AS fact, null AS r, null AS i, path
  UNION ALL
  WITH e
  MATCH path = (e)-[r]-(o)
  WHERE NOT r:MENTIONS
  UNWIND range(0, size(coalesce(r.sources, [])) - 1) AS i
  WITH e, r, o, i, path LIMIT toInteger($limit)
  WITH r, o, i, path, startNode(r) = e AS out, e.name AS name, o.name AS other,
       ' -[' + type(r) + CASE WHEN r.on IS NULL THEN '' ELSE ' on ' + r.on END + ']-> ' AS arrow
  RETURN 'fact' AS kind, r.sources[i] AS source,
         CASE WHEN out THEN name + arrow + other ELSE other + arrow + name END
         + CASE WHEN r.status = 'ended' THEN ' (ended' + coalesce(', until ' + toString(r.until), '') + ')' ELSE '' END AS fact,
         r, i, path
}
WITH kind, source, fact, r, i, path
ORDER BY kind DESC, source, fact
LIMIT toInteger($limit)
OPTIONAL MATCH (s:Source {id: source})
RETURN kind, source, s.title AS title, fact, r.quotes[i] AS quote, path
