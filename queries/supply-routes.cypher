// How do a maker's or brand's vehicles reach a market, hop by hop?
// name: supply-routes
// param: brand string example=JAC lookup=Company|Brand The maker or brand (a company or a brand): id, name or alias
// param: market string example=Russia lookup=Country|Region The market (a country or region): id, name or alias
// param: limit integer default=25 range=1..1000 At most this many routes, the shortest first
// returns: route (names of the route's companies and countries, maker first), countries (the country of each of them, via LOCATED_IN),
// returns: goods (what each hop carries), modes (each hop's mode of transport; null if not stated), statuses (each hop's status),
// returns: hops (number of hops), sources (ids of the articles), quotes (the supporting sentences),
// returns: path (graph: the route)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($brand), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS b
WHERE (b:Company OR b:Brand)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($market), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS m
WHERE (m:Country OR m:Region)
// The shortest routes first, one hop count at a time: routes of the next length are looked
// for only while fewer than $limit are found. Walking forward from the maker stops at the
// first $limit routes of a length; SHORTEST k would first search backwards from the market,
// through its thousands of shipments. Routes visit no company or country twice. The one
// shortest route comes first: without it there is nothing to walk, and shorter lengths are skipped.
MATCH first = SHORTEST 1 (b)-[:SHIPS_TO|SUPPLIES]->{1,6}(m)
WITH b, m, length(first) AS shortest, [] AS paths
CALL (b, m, shortest, paths) {
  WITH b, m WHERE size(paths) < toInteger($limit) AND shortest <= 1
  MATCH path = (b)-[:SHIPS_TO|SUPPLIES*1]->(m)
  WHERE all(n IN nodes(path) WHERE single(x IN nodes(path) WHERE x = n))
  WITH path LIMIT toInteger($limit)
  RETURN collect(path) AS more
}
WITH b, m, shortest, paths + more AS paths
CALL (b, m, shortest, paths) {
  WITH b, m WHERE size(paths) < toInteger($limit) AND shortest <= 2
  MATCH path = (b)-[:SHIPS_TO|SUPPLIES*2]->(m)
  WHERE all(n IN nodes(path) WHERE single(x IN nodes(path) WHERE x = n))
  WITH path LIMIT toInteger($limit)
  RETURN collect(path) AS more
}
WITH b, m, shortest, paths + more AS paths
CALL (b, m, shortest, paths) {
  WITH b, m WHERE size(paths) < toInteger($limit) AND shortest <= 3
  MATCH path = (b)-[:SHIPS_TO|SUPPLIES*3]->(m)
  WHERE all(n IN nodes(path) WHERE single(x IN nodes(path) WHERE x = n))
  WITH path LIMIT toInteger($limit)
  RETURN collect(path) AS more
}
WITH b, m, shortest, paths + more AS paths
CALL (b, m, shortest, paths) {
  WITH b, m WHERE size(paths) < toInteger($limit) AND shortest <= 4
  MATCH path = (b)-[:SHIPS_TO|SUPPLIES*4]->(m)
  WHERE all(n IN nodes(path) WHERE single(x IN nodes(path) WHERE x = n))
  WITH path LIMIT toInteger($limit)
  RETURN collect(path) AS more
}
WITH b, m, shortest, paths + more AS paths
CALL (b, m, shortest, paths) {
  WITH b, m WHERE size(paths) < toInteger($limit) AND shortest <= 5
  MATCH path = (b)-[:SHIPS_TO|SUPPLIES*5]->(m)
  WHERE all(n IN nodes(path) WHERE single(x IN nodes(path) WHERE x = n))
  WITH path LIMIT toInteger($limit)
  RETURN collect(path) AS more
}
WITH b, m, shortest, paths + more AS paths
CALL (b, m, shortest, paths) {
  WITH b, m WHERE size(paths) < toInteger($limit) AND shortest <= 6
  MATCH path = (b)-[:SHIPS_TO|SUPPLIES*6]->(m)
  WHERE all(n IN nodes(path) WHERE single(x IN nodes(path) WHERE x = n))
  WITH path LIMIT toInteger($limit)
  RETURN collect(path) AS more
}
WITH b, m, shortest, paths + more AS paths
UNWIND paths AS path
WITH path ORDER BY length(path), [n IN nodes(path) | n.name]
LIMIT toInteger($limit)
RETURN [n IN nodes(path) | n.name] AS route,
       [n IN nodes(path) | head([(n)-[:LOCATED_IN*0..3]->(k:Country) | k.name])] AS countries,
       [r IN relationships(path) | r.goods] AS goods,
       [r IN relationships(path) | r.mode] AS modes,
       [r IN relationships(path) | r.status] AS statuses,
       length(path) AS hops,
       reduce(s = [], r IN relationships(path) | s + [x IN r.sources WHERE NOT x IN s]) AS sources,
       reduce(s = [], r IN relationships(path) | s + [x IN r.quotes WHERE NOT x IN s]) AS quotes,
       path
ORDER BY hops, route
