// Who owns or operates a plant, and where is it?
// name: plant-owners
// param: plant string example="Renault's Moscow plant" lookup=Plant The plant: id, name or alias, any case
// param: limit integer default=25 range=1..1000 At most this many rows (by plant, role, company)
// returns: plant (id), plant_name (name), city (its city, if known), country (its country, via LOCATED_IN),
// returns: company (id of the owner or operator; null if the articles name none), company_name (name),
// returns: role (owns or operates), share_percent (for owners, if stated), status (of the ownership or operation),
// returns: sources (ids of the articles), quotes (the supporting sentences),
// returns: path (graph: the owner or operator and the plant)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($plant), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS p
WHERE p:Plant
OPTIONAL MATCH path = (c)-[r:OWNS|OPERATES]->(p)
RETURN p.id AS plant, p.name AS plant_name,
       head([(p)-[:LOCATED_IN*1..2]->(k:City) | k.name]) AS city,
       head([(p)-[:LOCATED_IN*1..3]->(k:Country) | k.name]) AS country,
       c.id AS company, c.name AS company_name, toLower(type(r)) AS role, r.share_percent AS share_percent,
       r.status AS status, r.sources AS sources, r.quotes AS quotes, path
ORDER BY plant, role, company
LIMIT $limit
