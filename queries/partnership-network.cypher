// Which organisations are linked to a company by partnerships within N hops?
// name: partnership-network
// param: company string example=Russia lookup=Company|Brand|Country|Region The company (or brand, country, region) at the centre: id, name or alias
// param: hops integer default=2 range=1..4 How many partnership hops to follow (1 to 4)
// param: limit integer default=25 range=1..1000 At most this many organisations, the nearest first
// returns: organisation (id), name (name), label (Company, Brand, Country or Region),
// returns: distance (fewest partnership hops from the company), partnerships (the `on` of the partnerships on a shortest path, in order; "(ended)" or "(ended, until DATE)" after an ended one),
// returns: paths (graph: every shortest partnership path from the company to it)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($company), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS c
WHERE (c:Company OR c:Brand OR c:Country OR c:Region)
// Organisations one distance at a time, breadth-first, each once: the next distance is
// searched only while fewer than $limit are found, and only the organisations answered get
// their paths (every path of up to 4 hops explodes around a busy company). Within a distance
// the search stops at $limit: which of a hub's thousands are answered is not fixed. One
// subquery per distance, as a quantifier takes no parameter.
WITH c, [] AS found
CALL (c, found) {
  WITH c WHERE size(found) < toInteger($limit) AND toInteger($hops) >= 1
  MATCH (c)-[:PARTNERS_WITH]-(o)
  WITH DISTINCT o WHERE o <> c
  WITH o LIMIT toInteger($limit)
  RETURN collect({o: o, distance: 1}) AS more
}
WITH c, found + more AS found
CALL (c, found) {
  WITH c WHERE size(found) < toInteger($limit) AND toInteger($hops) >= 2
  MATCH (c)-[:PARTNERS_WITH*1..2]-(o)
  WITH DISTINCT o WHERE o <> c AND NOT o IN [f IN found | f.o]
  WITH o LIMIT toInteger($limit)
  RETURN collect({o: o, distance: 2}) AS more
}
WITH c, found + more AS found
CALL (c, found) {
  WITH c WHERE size(found) < toInteger($limit) AND toInteger($hops) >= 3
  MATCH (c)-[:PARTNERS_WITH*1..3]-(o)
  WITH DISTINCT o WHERE o <> c AND NOT o IN [f IN found | f.o]
  WITH o LIMIT toInteger($limit)
  RETURN collect({o: o, distance: 3}) AS more
}
WITH c, found + more AS found
CALL (c, found) {
  WITH c WHERE size(found) < toInteger($limit) AND toInteger($hops) >= 4
  MATCH (c)-[:PARTNERS_WITH*1..4]-(o)
  WITH DISTINCT o WHERE o <> c AND NOT o IN [f IN found | f.o]
  WITH o LIMIT toInteger($limit)
  RETURN collect({o: o, distance: 4}) AS more
}
WITH c, found + more AS found
UNWIND found[..toInteger($limit)] AS f
WITH c, f.o AS o, f.distance AS distance
// Its shortest paths have exactly `distance` hops: spelled out hop by hop, both ends bound.
CALL (c, o, distance) {
  WITH c, o WHERE distance = 1
  MATCH path = (c)-[:PARTNERS_WITH]-(o)
  RETURN path
  UNION ALL
  WITH c, o WHERE distance = 2
  // The company's partners first: started from `o`, the plan walked a hub's thousands.
  MATCH (c)-[r1:PARTNERS_WITH]-(m1)
  // One direction at a time: a partner with thousands of partners is then checked from o's side.
  CALL (m1, o) {
    MATCH (m1)-[r2:PARTNERS_WITH]->(o) RETURN r2
    UNION ALL
    MATCH (m1)<-[r2:PARTNERS_WITH]-(o) RETURN r2
  }
  MATCH path = (c)-[r1]-(m1)-[r2]-(o)
  RETURN path
  UNION ALL
  WITH c, o WHERE distance = 3
  MATCH path = (c)-[:PARTNERS_WITH]-()-[:PARTNERS_WITH]-()-[:PARTNERS_WITH]-(o)
  RETURN path
  UNION ALL
  WITH c, o WHERE distance = 4
  MATCH path = (c)-[:PARTNERS_WITH]-()-[:PARTNERS_WITH]-()-[:PARTNERS_WITH]-()-[:PARTNERS_WITH]-(o)
  RETURN path
}
WITH o, distance, path ORDER BY [r IN relationships(path) | r.on]
WITH o, distance, collect(path) AS paths
RETURN o.id AS organisation, o.name AS name, head(labels(o)) AS label, distance,
       [r IN relationships(paths[0]) | r.on + CASE WHEN r.status = 'ended' THEN ' (ended' + coalesce(', until ' + toString(r.until), '') + ')' ELSE '' END] AS partnerships, paths
ORDER BY distance, organisation
