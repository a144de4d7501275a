// Which organisations are linked to a company by partnerships within N hops?
// name: partnership-network
// param: company string example=Russia The company (or brand, country, region) at the centre: id, name or alias
// param: hops integer default=2 range=1..4 How many partnership hops to follow (1 to 4)
// returns: organisation (id), name (name), label (Company, Brand, Country or Region),
// returns: distance (fewest partnership hops from the company), partnerships (the `on` of the partnerships on a shortest path, in order),
// returns: paths (graph: every partnership path of at most N hops from the company to it)
CALL db.index.fulltext.queryNodes('entity_lookup', '"' + replace(replace($company, '\\', ' '), '"', ' ') + '"') YIELD node AS c
WHERE (c:Company OR c:Brand OR c:Country OR c:Region)
  AND (toLower(c.id) = toLower($company) OR toLower(c.name) = toLower($company)
       OR any(a IN coalesce(c.aliases, []) WHERE toLower(a) = toLower($company)))
// At most 4 hops whatever $hops says; paths never visit a node twice.
MATCH path = (c)-[:PARTNERS_WITH*1..4]-(o)
WHERE length(path) <= $hops AND o <> c
  AND all(n IN nodes(path) WHERE single(m IN nodes(path) WHERE m = n))
WITH o, path
ORDER BY length(path), [r IN relationships(path) | r.on]
WITH o, collect(path) AS paths
RETURN o.id AS organisation, o.name AS name, head(labels(o)) AS label, length(paths[0]) AS distance,
       [r IN relationships(paths[0]) | r.on] AS partnerships, paths
ORDER BY distance, organisation
