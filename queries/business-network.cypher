// Which organisations are linked to a company by business links (partnership, ownership, acquisition, supply, assembly) within N hops?
// name: business-network
// param: company string example=JAC lookup=Company|Brand|Country|Region The company (or brand, country, region) at the centre: id, name or alias
// param: types list[string] default=PARTNERS_WITH,OWNS,BRAND_OF,ACQUIRED,SUPPLIES,SHIPS_TO,ASSEMBLES_FOR choices=PARTNERS_WITH,OWNS,BRAND_OF,ACQUIRED,SUPPLIES,SHIPS_TO,ASSEMBLES_FOR The links to follow (default: all of them); on the command line comma-separated, e.g. OWNS,ACQUIRED
// param: hops integer default=2 range=1..4 How many links to follow (1 to 4)
// param: limit integer default=25 range=1..1000 At most this many organisations, the nearest first
// returns: organisation (id), name (name), label (Company, Brand, Country or Region),
// returns: distance (fewest links from the company),
// returns: steps (one shortest path, each link as "A -[TYPE]-> B" in the stored direction, "(ended)" or "(ended, until DATE)" after an ended fact),
// returns: paths (graph: every shortest path of the chosen links from the company to it)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($company), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS c
WHERE (c:Company OR c:Brand OR c:Country OR c:Region)
// As partnership-network: organisations one distance at a time, breadth-first, each once, the
// next distance only while fewer than $limit are found; a path may pass through a plant (an
// owner and a buyer of the same plant are two links apart). The link types are the parameter,
// filtered with `type(r) IN $types`, never written into the query. One subquery per distance,
// as a quantifier takes no parameter.
WITH c, [] AS found
CALL (c, found) {
  WITH c WHERE size(found) < toInteger($limit) AND toInteger($hops) >= 1
  MATCH (c)-[r WHERE type(r) IN $types]-(o)
  WITH DISTINCT o WHERE o <> c AND (o:Company OR o:Brand OR o:Country OR o:Region)
  WITH o LIMIT toInteger($limit)
  RETURN collect({o: o, distance: 1}) AS more
}
WITH c, found + more AS found
CALL (c, found) {
  WITH c WHERE size(found) < toInteger($limit) AND toInteger($hops) >= 2
  MATCH (c)-[r WHERE type(r) IN $types]-{1,2}(o)
  WITH DISTINCT o WHERE o <> c AND (o:Company OR o:Brand OR o:Country OR o:Region) AND NOT o IN [f IN found | f.o]
  WITH o LIMIT toInteger($limit)
  RETURN collect({o: o, distance: 2}) AS more
}
WITH c, found + more AS found
CALL (c, found) {
  WITH c WHERE size(found) < toInteger($limit) AND toInteger($hops) >= 3
  MATCH (c)-[r WHERE type(r) IN $types]-{1,3}(o)
  WITH DISTINCT o WHERE o <> c AND (o:Company OR o:Brand OR o:Country OR o:Region) AND NOT o IN [f IN found | f.o]
  WITH o LIMIT toInteger($limit)
  RETURN collect({o: o, distance: 3}) AS more
}
WITH c, found + more AS found
CALL (c, found) {
  WITH c WHERE size(found) < toInteger($limit) AND toInteger($hops) >= 4
  MATCH (c)-[r WHERE type(r) IN $types]-{1,4}(o)
  WITH DISTINCT o WHERE o <> c AND (o:Company OR o:Brand OR o:Country OR o:Region) AND NOT o IN [f IN found | f.o]
  WITH o LIMIT toInteger($limit)
  RETURN collect({o: o, distance: 4}) AS more
}
WITH c, found + more AS found
UNWIND found[..toInteger($limit)] AS f
WITH c, f.o AS o, f.distance AS distance
// Its shortest paths have exactly `distance` links, spelled out with both ends bound (an
// `ALL SHORTEST` search took seconds around a busy company). Two, three and four links are
// met in the middle: the neighbours of each end, each middle link checked one direction at a
// time, so a country beside `o` but off its shortest paths is never walked.
CALL (c, o, distance) {
  WITH c, o WHERE distance = 1
  MATCH path = (c)-[r WHERE type(r) IN $types]-(o)
  RETURN path
  UNION ALL
  WITH c, o WHERE distance = 2
  MATCH (c)-[r1 WHERE type(r1) IN $types]-(m1)
  CALL (m1, o) {
    MATCH (m1)-[r2 WHERE type(r2) IN $types]->(o) RETURN r2
    UNION ALL
    MATCH (m1)<-[r2 WHERE type(r2) IN $types]-(o) RETURN r2
  }
  MATCH path = (c)-[r1]-(m1)-[r2]-(o)
  RETURN path
  UNION ALL
  WITH c, o WHERE distance = 3
  MATCH (c)-[r1 WHERE type(r1) IN $types]-(x) WHERE x <> o
  WITH c, o, x, collect(r1) AS r1s
  WITH c, o, collect({x: x, r1s: r1s}) AS xs
  MATCH (o)-[r3 WHERE type(r3) IN $types]-(y) WHERE y <> c
  WITH c, o, xs, y, collect(r3) AS r3s
  UNWIND xs AS xe
  WITH c, o, xe.x AS x, xe.r1s AS r1s, y, r3s WHERE x <> y
  CALL (x, y) {
    MATCH (x)-[r2 WHERE type(r2) IN $types]->(y) RETURN r2
    UNION ALL
    MATCH (x)<-[r2 WHERE type(r2) IN $types]-(y) RETURN r2
  }
  UNWIND r1s AS r1
  UNWIND r3s AS r3
  MATCH path = (c)-[r1]-(x)-[r2]-(y)-[r3]-(o)
  RETURN path
  UNION ALL
  WITH c, o WHERE distance = 4
  MATCH (o)-[r4 WHERE type(r4) IN $types]-(y) WHERE y <> c
  WITH c, o, y, collect(r4) AS r4s
  WITH c, o, collect({y: y, r4s: r4s}) AS ys
  MATCH (c)-[r1 WHERE type(r1) IN $types]-(x)-[r2 WHERE type(r2) IN $types]-(m) WHERE x <> o AND m <> c AND m <> o
  WITH c, o, ys, m, collect({x: x, r1: r1, r2: r2}) AS halves
  UNWIND ys AS ye
  WITH c, o, m, halves, ye.y AS y, ye.r4s AS r4s WHERE y <> m
  CALL (m, y) {
    MATCH (m)-[r3 WHERE type(r3) IN $types]->(y) RETURN r3
    UNION ALL
    MATCH (m)<-[r3 WHERE type(r3) IN $types]-(y) RETURN r3
  }
  UNWIND halves AS h
  UNWIND r4s AS r4
  WITH c, o, h.x AS x, h.r1 AS r1, h.r2 AS r2, m, r3, y, r4
  MATCH path = (c)-[r1]-(x)-[r2]-(m)-[r3]-(y)-[r4]-(o)
  RETURN path
}
WITH o, distance, path, nodes(path) AS ns, relationships(path) AS rs
WITH o, distance, path,
     [i IN range(0, size(rs) - 1) |
        ns[i].name + ' (' + head(labels(ns[i])) + ')'
        + CASE WHEN startNode(rs[i]) = ns[i] THEN ' -[' + type(rs[i]) + ']-> ' ELSE ' <-[' + type(rs[i]) + ']- ' END
        + ns[i + 1].name + ' (' + head(labels(ns[i + 1])) + ')'
        + CASE WHEN rs[i].status = 'ended' THEN ' (ended' + coalesce(', until ' + toString(rs[i].until), '') + ')' ELSE '' END]
     AS steps
ORDER BY steps
WITH o, distance, collect(path) AS paths, collect(steps) AS all_steps
RETURN o.id AS organisation, o.name AS name, head(labels(o)) AS label, distance, all_steps[0] AS steps, paths
ORDER BY distance, organisation
