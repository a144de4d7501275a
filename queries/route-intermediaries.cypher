// Which companies and countries serve as intermediaries on the supply routes into a market?
// name: route-intermediaries
// param: market string example=Russia lookup=Country|Region The market (a country or region): id, name or alias
// param: limit integer default=25 range=1..1000 At most this many intermediaries, the nearest the market first
// returns: intermediary (id), name (name), hops (its distance to the market in shipments), label (Company or Country), country (its country, via LOCATED_IN),
// returns: origins (names of companies that send it goods: all of them up to 10, else 10 of them), goods (what it passes on),
// returns: routes (number of shipments into it), path (graph: a shortest route through it into the market, from the first origin)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($market), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS m
WHERE (m:Country OR m:Region)
// Intermediaries pass goods on towards the market within 5 hops and receive goods themselves.
// They are found one distance at a time, breadth-first: the next distance is searched only
// while fewer than $limit are found, so a busy market's direct suppliers answer without a
// walk through the tens of thousands of companies further upstream. Within a distance the
// search stops at $limit, so which of a busy market's thousands are answered is not fixed.
WITH m, [] AS found
CALL (m, found) {
  WITH m WHERE size(found) < toInteger($limit)
  MATCH (x)-[:SHIPS_TO|SUPPLIES]->(m)
  WITH DISTINCT x WHERE x <> m AND NOT x IN [f IN found | f.x] AND COUNT { (x)<-[:SHIPS_TO|SUPPLIES]-() } > 0
  WITH x LIMIT toInteger($limit)
  RETURN collect({x: x, hops: 1}) AS more
}
WITH m, found + more AS found
CALL (m, found) {
  WITH m WHERE size(found) < toInteger($limit)
  MATCH (x)-[:SHIPS_TO|SUPPLIES*1..2]->(m)
  WITH DISTINCT x WHERE x <> m AND NOT x IN [f IN found | f.x] AND COUNT { (x)<-[:SHIPS_TO|SUPPLIES]-() } > 0
  WITH x LIMIT toInteger($limit)
  RETURN collect({x: x, hops: 2}) AS more
}
WITH m, found + more AS found
CALL (m, found) {
  WITH m WHERE size(found) < toInteger($limit)
  MATCH (x)-[:SHIPS_TO|SUPPLIES*1..3]->(m)
  WITH DISTINCT x WHERE x <> m AND NOT x IN [f IN found | f.x] AND COUNT { (x)<-[:SHIPS_TO|SUPPLIES]-() } > 0
  WITH x LIMIT toInteger($limit)
  RETURN collect({x: x, hops: 3}) AS more
}
WITH m, found + more AS found
CALL (m, found) {
  WITH m WHERE size(found) < toInteger($limit)
  MATCH (x)-[:SHIPS_TO|SUPPLIES*1..4]->(m)
  WITH DISTINCT x WHERE x <> m AND NOT x IN [f IN found | f.x] AND COUNT { (x)<-[:SHIPS_TO|SUPPLIES]-() } > 0
  WITH x LIMIT toInteger($limit)
  RETURN collect({x: x, hops: 4}) AS more
}
WITH m, found + more AS found
CALL (m, found) {
  WITH m WHERE size(found) < toInteger($limit)
  MATCH (x)-[:SHIPS_TO|SUPPLIES*1..5]->(m)
  WITH DISTINCT x WHERE x <> m AND NOT x IN [f IN found | f.x] AND COUNT { (x)<-[:SHIPS_TO|SUPPLIES]-() } > 0
  WITH x LIMIT toInteger($limit)
  RETURN collect({x: x, hops: 5}) AS more
}
WITH m, found + more AS found
UNWIND found[..toInteger($limit)] AS f
WITH m, f.x AS x, f.hops AS hops
CALL (m, x) {
  MATCH (o)-[:SHIPS_TO|SUPPLIES]->(x)
  WHERE o <> m
  // Ten, not all: a busy distributor receives from thousands.
  WITH DISTINCT o LIMIT 10
  WITH o ORDER BY o.name, o.id
  RETURN collect(o.name) AS origins, head(collect(o)) AS first
}
// A direct supplier of the market needs no search for its route.
OPTIONAL CALL (first, x, m, hops) {
  WITH first, x, m WHERE hops = 1
  MATCH path = (first)-[:SHIPS_TO|SUPPLIES]->(x)-[:SHIPS_TO|SUPPLIES]->(m)
  RETURN path LIMIT 1
  UNION
  WITH first, x, m WHERE hops > 1
  MATCH path = SHORTEST 1 (first)-[:SHIPS_TO|SUPPLIES]->(x)-[:SHIPS_TO|SUPPLIES]->{1,5}(m)
  RETURN path
}
RETURN x.id AS intermediary, x.name AS name, hops, head(labels(x)) AS label,
       head([(x)-[:LOCATED_IN*0..3]->(k:Country) | k.name]) AS country, origins,
       COLLECT { MATCH (x)-[r:SHIPS_TO|SUPPLIES]->() RETURN DISTINCT r.goods AS g ORDER BY g } AS goods,
       COUNT { (x)<-[:SHIPS_TO|SUPPLIES]-() } AS routes, path
ORDER BY hops, intermediary
