// How do a maker's or brand's vehicles reach a market, hop by hop?
// name: supply-routes
// param: brand string example=JAC The maker or brand (a company or a brand): id, name or alias
// param: market string example=Russia The market (a country or region): id, name or alias
// param: limit integer default=25 range=1..25 At most this many routes, the shortest first
// returns: route (names of the route's companies and countries, maker first), countries (the country of each of them, via LOCATED_IN),
// returns: goods (what each hop carries), modes (each hop's mode of transport; null if not stated), statuses (each hop's status),
// returns: hops (number of hops), sources (ids of the articles), quotes (the supporting sentences),
// returns: path (graph: the route)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($brand), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS b
WHERE (b:Company OR b:Brand)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($market), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS m
WHERE (m:Country OR m:Region)
// The 25 shortest routes of at most 6 hops (a breadth-first search from both ends, not every
// path: from a busy maker there are millions), keeping those that visit no company or country twice.
MATCH path = SHORTEST 25 (b)-[:SHIPS_TO|SUPPLIES]->{1,6}(m)
WHERE all(n IN nodes(path) WHERE single(x IN nodes(path) WHERE x = n))
WITH path ORDER BY length(path), [n IN nodes(path) | n.name]
LIMIT $limit
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
