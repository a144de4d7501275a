// Which companies and countries serve as intermediaries on the supply routes into a market?
// name: route-intermediaries
// param: market string example=Russia The market (a country or region): id, name or alias
// param: limit integer default=25 range=1..1000 At most this many intermediaries (by id)
// returns: intermediary (id), name (name), label (Company or Country), country (its country, via LOCATED_IN),
// returns: origins (names of the companies that send it goods, at most 10), goods (what it passes on),
// returns: routes (number of routes through it: one per company that sends it goods), path (graph: the shortest route through it into the market, from the first origin)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($market), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS m
WHERE (m:Country OR m:Region)
// Everything that passes goods on towards the market within 5 hops and receives goods itself,
// found breadth-first, each node once: enumerating the routes explodes at busy markets.
MATCH (x)-[:SHIPS_TO|SUPPLIES*1..5]->(m)
WITH DISTINCT m, x
WHERE x <> m AND COUNT { (x)<-[:SHIPS_TO|SUPPLIES]-() } > 0
WITH m, x ORDER BY x.id LIMIT $limit
CALL (m, x) {
  MATCH (o)-[:SHIPS_TO|SUPPLIES]->(x)
  WHERE o <> m
  WITH DISTINCT o ORDER BY o.name, o.id
  RETURN collect(o.name)[..10] AS origins, head(collect(o)) AS first, count(o) AS routes
}
OPTIONAL MATCH path = SHORTEST 1 (first)-[:SHIPS_TO|SUPPLIES]->(x)-[:SHIPS_TO|SUPPLIES]->{1,5}(m)
RETURN x.id AS intermediary, x.name AS name, head(labels(x)) AS label,
       head([(x)-[:LOCATED_IN*0..3]->(k:Country) | k.name]) AS country, origins,
       COLLECT { MATCH (x)-[r:SHIPS_TO|SUPPLIES]->() RETURN DISTINCT r.goods AS g ORDER BY g } AS goods,
       routes, path
ORDER BY intermediary
