// Which organisations are linked to a company by partnerships within N hops?
// name: partnership-network
// param: company string example=Russia The company (or brand, country, region) at the centre: id, name or alias
// param: hops integer default=2 range=1..4 How many partnership hops to follow (1 to 4)
// param: limit integer default=25 range=1..1000 At most this many organisations, the nearest first
// returns: organisation (id), name (name), label (Company, Brand, Country or Region),
// returns: distance (fewest partnership hops from the company), partnerships (the `on` of the partnerships on a shortest path, in order),
// returns: paths (graph: every shortest partnership path from the company to it)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($company), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS c
WHERE (c:Company OR c:Brand OR c:Country OR c:Region)
// Breadth-first: each organisation once, by its shortest paths (all paths of up to 4 hops
// explode around a busy company). One branch per hop count, as a quantifier takes no parameter.
CALL (c) {
  WITH c WHERE $hops = 1
  MATCH path = ALL SHORTEST (c)-[:PARTNERS_WITH]-{1,1}(o)
  RETURN o, path
  UNION ALL
  WITH c WHERE $hops = 2
  MATCH path = ALL SHORTEST (c)-[:PARTNERS_WITH]-{1,2}(o)
  RETURN o, path
  UNION ALL
  WITH c WHERE $hops = 3
  MATCH path = ALL SHORTEST (c)-[:PARTNERS_WITH]-{1,3}(o)
  RETURN o, path
  UNION ALL
  WITH c WHERE $hops = 4
  MATCH path = ALL SHORTEST (c)-[:PARTNERS_WITH]-{1,4}(o)
  RETURN o, path
}
WITH o, path
WHERE o <> c
ORDER BY [r IN relationships(path) | r.on]
WITH o, collect(path) AS paths
ORDER BY length(paths[0]), o.id
LIMIT $limit
RETURN o.id AS organisation, o.name AS name, head(labels(o)) AS label, length(paths[0]) AS distance,
       [r IN relationships(paths[0]) | r.on] AS partnerships, paths
ORDER BY distance, organisation
