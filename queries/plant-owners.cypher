// Who owns or operates a plant now, who did before, and where is it?
// name: plant-owners
// param: plant string example="Renault's Moscow plant" lookup=Plant The plant: id, name or alias, any case
// param: limit integer default=25 range=1..1000 At most this many rows (by plant, standing, role, company)
// returns: plant (id), plant_name (name), city (its city, if known), country (its country, via LOCATED_IN),
// returns: company (id of the owner, operator or buyer; null if the articles name none), company_name (name),
// returns: role (owns, operates, or acquired: bought or took over the plant),
// returns: standing (current; pending for an announced, planned, negotiated or unapproved fact; former when ended or when the plant was since acquired from this company),
// returns: share_percent (for owners, if stated), seller (for an acquisition: from whom, as the article says),
// returns: status (of the fact), since, until, sources (ids of the articles), quotes (the supporting sentences),
// returns: path (graph: the company and the plant)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($plant), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS p
WHERE p:Plant
OPTIONAL MATCH path = (c)-[r:OWNS|OPERATES|ACQUIRED]->(p)
// A completed acquisition of the plant from this company ends its ownership and operation.
WITH p, c, r, path,
     CASE WHEN r IS NULL THEN null
          WHEN r.status = 'ended' THEN 'former'
          WHEN r.status IN ['announced', 'planned', 'negotiating', 'pending approval'] THEN 'pending'
          WHEN type(r) <> 'ACQUIRED' AND EXISTS {
            MATCH (b)-[a:ACQUIRED]->(p)
            WHERE b <> c AND (a.status IS NULL OR a.status = 'active')
              AND toLower(a.from_party) IN [toLower(c.id), toLower(c.name)] + [x IN coalesce(c.aliases, []) | toLower(x)]
          } THEN 'former'
          ELSE 'current' END AS standing
RETURN p.id AS plant, p.name AS plant_name,
       head([(p)-[:LOCATED_IN*1..2]->(k:City) | k.name]) AS city,
       head([(p)-[:LOCATED_IN*1..3]->(k:Country) | k.name]) AS country,
       c.id AS company, c.name AS company_name, toLower(type(r)) AS role, standing,
       r.share_percent AS share_percent, r.from_party AS seller,
       r.status AS status, r.since AS since, r.until AS until, r.sources AS sources, r.quotes AS quotes, path
ORDER BY plant, CASE standing WHEN 'current' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, role, company
LIMIT toInteger($limit)
