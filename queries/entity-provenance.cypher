// Which articles mention an entity, and which sentences support each of its relationships?
// name: entity-provenance
// param: entity string example=SaryarkaAvtoProm Any company, brand, model, plant, place, person or agreement: id, name or alias
// param: limit integer default=25 range=1..1000 At most this many rows (mentions first, then facts by source)
// returns: kind (mention: the article names it; fact: a relationship of it), source (id of the article), title (the article's title),
// returns: fact (the relationship as "A -[TYPE on X]-> B"; null for a mention), quote (the supporting sentence; null for a mention),
// returns: path (graph: the article and the entity, or the relationship)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($entity), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS e
CALL {
  WITH e
  MATCH path = (s:Source)-[:MENTIONS]->(e)
  RETURN 'mention' AS kind, s.id AS source, s.title AS title, null AS fact, null AS quote, path
  UNION ALL
  WITH e
  MATCH path = (e)-[r]-(o)
  WHERE NOT r:MENTIONS
  UNWIND range(0, size(coalesce(r.sources, [])) - 1) AS i
  OPTIONAL MATCH (s:Source {id: r.sources[i]})
  RETURN 'fact' AS kind, r.sources[i] AS source, s.title AS title,
         startNode(r).name + ' -[' + type(r) + CASE WHEN r.on IS NULL THEN '' ELSE ' on ' + r.on END + ']-> '
           + endNode(r).name AS fact,
         r.quotes[i] AS quote, path
}
RETURN kind, source, title, fact, quote, path
ORDER BY kind DESC, source, fact
LIMIT $limit
