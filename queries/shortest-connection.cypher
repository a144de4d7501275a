// What is the shortest connection between two organisations?
// name: shortest-connection
// param: from_org string example=JAC lookup=Company|Country|Region One organisation (a company, country or region): id, name or alias
// param: to_org string example=Iran lookup=Company|Country|Region The other organisation (a company, country or region): id, name or alias
// param: limit integer default=25 range=1..1000 At most this many of the shortest connections
// returns: hops (length of the connection), route (names along it), steps (each hop as "A -[TYPE]-> B" in the stored direction),
// returns: sources (ids of the articles), quotes (the supporting sentences),
// returns: path (graph: the connection; every shortest one is a row, by route, then steps)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($from_org), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS a
WHERE (a:Company OR a:Country OR a:Region)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($to_org), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS b
WHERE (b:Company OR b:Country OR b:Region) AND a <> b
// Nearest first, each length only while nothing shorter is found. One, two and three hops are
// spelled out with both ends bound: `allShortestPaths` grows from the side with fewer nodes,
// and through a country that is 40k+ relationships even when the other side is small. A
// bound pair is checked one direction at a time, so two hubs are compared through the
// relationships one of them has in that direction (a handful) instead of all of them.
// Longer connections fall back to the search. Every relationship type but MENTIONS.
WITH a, b, [] AS found
CALL (a, b, found) {
  WITH a, b WHERE size(found) = 0
  CALL (a, b) {
    MATCH (a)-[r:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]->(b) RETURN r
    UNION ALL
    MATCH (a)<-[r:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(b) RETURN r
  }
  MATCH path = (a)-[r]-(b)
  RETURN collect(path) AS more
}
WITH a, b, found + more AS found
CALL (a, b, found) {
  WITH a, b WHERE size(found) = 0
  MATCH (a)-[r1:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(m) WHERE m <> a AND m <> b
  CALL (m, b) {
    MATCH (m)-[r2:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]->(b) RETURN r2
    UNION ALL
    MATCH (m)<-[r2:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(b) RETURN r2
  }
  MATCH path = (a)-[r1]-(m)-[r2]-(b)
  RETURN collect(path) AS more
}
WITH a, b, found + more AS found
CALL (a, b, found) {
  WITH a, b WHERE size(found) = 0
  MATCH (a)-[r1:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(x) WHERE x <> a AND x <> b
  WITH a, b, x, collect(r1) AS r1s
  WITH a, b, collect({x: x, r1s: r1s}) AS xs
  MATCH (b)-[r3:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(y) WHERE y <> a AND y <> b
  WITH a, b, xs, y, collect(r3) AS r3s
  UNWIND xs AS xe
  WITH a, b, xe.x AS x, xe.r1s AS r1s, y, r3s WHERE x <> y
  CALL (x, y) {
    MATCH (x)-[r2:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]->(y) RETURN r2
    UNION ALL
    MATCH (x)<-[r2:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-(y) RETURN r2
  }
  UNWIND r1s AS r1
  UNWIND r3s AS r3
  MATCH path = (a)-[r1]-(x)-[r2]-(y)-[r3]-(b)
  RETURN collect(path) AS more
}
WITH a, b, found + more AS found
CALL (a, b, found) {
  WITH a, b WHERE size(found) = 0
  MATCH path = allShortestPaths((a)-[:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY*..8]-(b))
  RETURN collect(path) AS more
}
WITH found + more AS found
UNWIND found AS path
WITH path, nodes(path) AS ns, relationships(path) AS rs
RETURN length(path) AS hops, [n IN ns | n.name] AS route,
       [i IN range(0, size(rs) - 1) |
          CASE WHEN startNode(rs[i]) = ns[i]
               THEN ns[i].name + ' -[' + type(rs[i]) + ']-> ' + ns[i + 1].name
               ELSE ns[i].name + ' <-[' + type(rs[i]) + ']- ' + ns[i + 1].name END] AS steps,
       reduce(s = [], r IN rs | s + [x IN r.sources WHERE NOT x IN s]) AS sources,
       reduce(s = [], r IN rs | s + [x IN r.quotes WHERE NOT x IN s]) AS quotes,
       path
ORDER BY hops, route, steps
LIMIT $limit
