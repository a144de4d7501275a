// What is the shortest connection between two organisations?
// name: shortest-connection
// param: from_org string example=JAC lookup=Company|Country|Region One organisation (a company, country or region): id, name or alias
// param: to_org string example=Iran lookup=Company|Country|Region The other organisation (a company, country or region): id, name or alias
// param: limit integer default=25 range=1..1000 At most this many of the shortest connections
// returns: hops (length of the connection), route (each entity along it once, as "name (Label)"),
// returns: steps (each hop as "A -[TYPE]-> B" in the stored direction, "(ended)" or "(ended, until DATE)" after an ended fact; every fact between the same two entities is a step),
// returns: sources (ids of the articles), quotes (the supporting sentences),
// returns: paths (graph: the connections along the route; one row per route, by hops, then route)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($from_org), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS a
WHERE (a:Company OR a:Country OR a:Region)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($to_org), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS b
WHERE (b:Company OR b:Country OR b:Region) AND a <> b
// Nearest first, each length only while nothing shorter is found. One, two and three hops are
// spelled out with both ends bound: `allShortestPaths` grows from the side with fewer nodes,
// and through a country that is 40k+ relationships even when the other side is small. A
// bound pair is checked one direction at a time, so two hubs are compared through the
// relationships one of them has in that direction (a handful) instead of all of them.
// Four hops meet in the middle: the planner hashes the nodes two hops from `q` (the end whose
// neighbours have fewer relationships) and walks from the other end only until $limit routes
// are found; more routes than $limit: which of them fill the page is not fixed (all of them
// otherwise, as the search finds them). Longer connections fall back to the search. Every
// relationship type but MENTIONS.
WITH a, b, [] AS found
CALL (a, b, found) {
  WITH a, b WHERE size(found) = 0
  CALL (a, b) {
    MATCH (a)-[r:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]->(b) RETURN r
    UNION ALL
    MATCH (a)<-[r:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(b) RETURN r
  }
  MATCH path = (a)-[r]-(b)
  RETURN collect(path) AS more
}
WITH a, b, found + more AS found
CALL (a, b, found) {
  WITH a, b WHERE size(found) = 0
  MATCH (a)-[r1:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(m) WHERE m <> a AND m <> b
  CALL (m, b) {
    MATCH (m)-[r2:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]->(b) RETURN r2
    UNION ALL
    MATCH (m)<-[r2:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(b) RETURN r2
  }
  MATCH path = (a)-[r1]-(m)-[r2]-(b)
  RETURN collect(path) AS more
}
WITH a, b, found + more AS found
CALL (a, b, found) {
  WITH a, b WHERE size(found) = 0
  MATCH (a)-[r1:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(x) WHERE x <> a AND x <> b
  WITH a, b, x, collect(r1) AS r1s
  WITH a, b, collect({x: x, r1s: r1s}) AS xs
  MATCH (b)-[r3:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(y) WHERE y <> a AND y <> b
  WITH a, b, xs, y, collect(r3) AS r3s
  UNWIND xs AS xe
  WITH a, b, xe.x AS x, xe.r1s AS r1s, y, r3s WHERE x <> y
  CALL (x, y) {
    MATCH (x)-[r2:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]->(y) RETURN r2
    UNION ALL
    MATCH (x)<-[r2:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(y) RETURN r2
  }
  UNWIND r1s AS r1
  UNWIND r3s AS r3
  MATCH path = (a)-[r1]-(x)-[r2]-(y)-[r3]-(b)
  RETURN collect(path) AS more
}
WITH a, b, found + more AS found
CALL (a, b, found) {
  WITH a, b WHERE size(found) = 0
  CALL (a) { MATCH (a)-[:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(x) RETURN sum(COUNT { (x)-[:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-() }) AS da }
  CALL (b) { MATCH (b)-[:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(y) RETURN sum(COUNT { (y)-[:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-() }) AS db }
  WITH a, b, CASE WHEN da <= db THEN [b, a] ELSE [a, b] END AS ends
  WITH a, b, ends[0] AS p, ends[1] AS q
  MATCH (p)-[:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(u)-[:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(m)-[:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(v)-[:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(q) USING JOIN ON m
  WITH DISTINCT a, b, p, u, m, v LIMIT toInteger($limit)
  WITH a, b, m, CASE WHEN p = a THEN u ELSE v END AS x, CASE WHEN p = a THEN v ELSE u END AS y
  MATCH path = (a)-[r1:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(x)-[r2:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(m)-[r3:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(y)-[r4:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(b)
  RETURN collect(path) AS more
}
WITH a, b, found + more AS found
CALL (a, b, found) {
  WITH a, b WHERE size(found) = 0
  MATCH path = allShortestPaths((a)-[:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY*..8]-(b))
  RETURN collect(path) AS more
}
WITH found + more AS found
// One row per route: a company and its same-named brand read apart by their labels, and the
// paths that differ only in which fact links two of the same entities are one row, with each
// of those facts as a step.
UNWIND found AS path
WITH [n IN nodes(path) | n.name + ' (' + head(labels(n)) + ')'] AS route, path
WITH route, collect(path) AS paths
ORDER BY size(route), route
LIMIT toInteger($limit)
CALL (route, paths) {
  UNWIND paths AS p
  UNWIND range(0, length(p) - 1) AS i
  WITH i, relationships(p)[i] AS r, route[i] AS x, route[i + 1] AS y, nodes(p)[i] AS nx
  WITH DISTINCT i, r, x, y, nx
  ORDER BY i, type(r), coalesce(r.on, '')
  WITH collect(CASE WHEN startNode(r) = nx THEN x + ' -[' + type(r) + ']-> ' + y ELSE x + ' <-[' + type(r) + ']- ' + y END
               + CASE WHEN r.status = 'ended' THEN ' (ended' + coalesce(', until ' + toString(r.until), '') + ')' ELSE '' END)
         AS all_steps, collect(r) AS rs
  RETURN reduce(s = [], t IN all_steps | s + CASE WHEN t IN s THEN [] ELSE [t] END) AS steps,
         reduce(s = [], r IN rs | s + [x IN r.sources WHERE NOT x IN s]) AS sources,
         reduce(s = [], r IN rs | s + [x IN r.quotes WHERE NOT x IN s]) AS quotes
}
RETURN size(route) - 1 AS hops, route, steps, sources, quotes, paths
ORDER BY hops, route
