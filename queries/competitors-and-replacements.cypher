// Which models compete with a model, which does it replace, and which replace it?
// name: competitors-and-replacements
// param: model string example=Sunray lookup=VehicleModel|Brand|Company The model (or a brand or company, for competition): id, name or alias
// param: limit integer default=25 range=1..1000 At most this many rows (by relation, then model id)
// returns: relation (competes with, replaces, replaced by), other (id), other_name (name), other_label (VehicleModel, Brand or Company),
// returns: makers (names of the brands or companies that make the other), status (of the competition or replacement),
// returns: sources (ids of the articles), quotes (the supporting sentences),
// returns: path (graph: the model, the relationship and the other)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($model), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS m
WHERE (m:VehicleModel OR m:Brand OR m:Company)
MATCH path = (m)-[r:COMPETES_WITH|REPLACES]-(o)
WITH m, r, o, path,
     CASE WHEN type(r) = 'COMPETES_WITH' THEN 'competes with'
          WHEN startNode(r) = m THEN 'replaces'
          ELSE 'replaced by' END AS relation
RETURN relation, o.id AS other, o.name AS other_name, head(labels(o)) AS other_label,
       COLLECT { MATCH (mk)-[:MAKES]->(o) RETURN DISTINCT mk.name AS n ORDER BY n } AS makers,
       r.status AS status, r.sources AS sources, r.quotes AS quotes, path
ORDER BY relation, other
LIMIT toInteger($limit)
