// What is the shortest connection between two organisations?
// name: shortest-connection
// param: from_org string example=JAC One organisation (a company, country or region): id, name or alias
// param: to_org string example=Iran The other organisation (a company, country or region): id, name or alias
// param: limit integer default=25 range=1..1000 At most this many of the shortest connections
// returns: hops (length of the connection), route (names along it), steps (each hop as "A -[TYPE]-> B" in the stored direction),
// returns: sources (ids of the articles), quotes (the supporting sentences),
// returns: path (graph: the connection; every shortest one is a row)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($from_org), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS a
WHERE (a:Company OR a:Country OR a:Region)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($to_org), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS b
WHERE (b:Company OR b:Country OR b:Region) AND a <> b
// Any relationship but MENTIONS (article links), in either direction, at most 8 hops.
MATCH path = allShortestPaths((a)-[:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY*..8]-(b))
WITH path, nodes(path) AS ns, relationships(path) AS rs
RETURN length(path) AS hops, [n IN ns | n.name] AS route,
       [i IN range(0, size(rs) - 1) |
          CASE WHEN startNode(rs[i]) = ns[i]
               THEN ns[i].name + ' -[' + type(rs[i]) + ']-> ' + ns[i + 1].name
               ELSE ns[i].name + ' <-[' + type(rs[i]) + ']- ' + ns[i + 1].name END] AS steps,
       reduce(s = [], r IN rs | s + [x IN r.sources WHERE NOT x IN s]) AS sources,
       reduce(s = [], r IN rs | s + [x IN r.quotes WHERE NOT x IN s]) AS quotes,
       path
ORDER BY hops, route
LIMIT $limit
