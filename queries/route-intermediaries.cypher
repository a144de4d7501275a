// Which companies and countries serve as intermediaries on the supply routes into a market?
// name: route-intermediaries
// param: market string example=Russia The market (a country or region): id, name or alias
// returns: intermediary (id), name (name), label (Company or Country), country (its country, via LOCATED_IN),
// returns: origins (names of the makers or suppliers whose goods pass through it), goods (what it passes on),
// returns: routes (number of routes through it), paths (graph: those routes)
CALL db.index.fulltext.queryNodes('entity_lookup', '"' + replace(replace($market, '\\', ' '), '"', ' ') + '"') YIELD node AS m
WHERE (m:Country OR m:Region)
  AND (toLower(m.id) = toLower($market) OR toLower(m.name) = toLower($market)
       OR any(a IN coalesce(m.aliases, []) WHERE toLower(a) = toLower($market)))
// Routes of 2 to 6 hops into the market (read backwards from it), visiting no node twice.
MATCH path = (o)-[:SHIPS_TO|SUPPLIES*2..6]->(m)
WHERE all(n IN nodes(path) WHERE single(x IN nodes(path) WHERE x = n))
UNWIND range(1, length(path) - 1) AS i
WITH nodes(path)[i] AS x, nodes(path)[0] AS origin, relationships(path)[i] AS onward, path
ORDER BY origin.name, onward.goods
WITH x, collect(DISTINCT origin.name) AS origins, collect(DISTINCT onward.goods) AS goods,
     collect(DISTINCT path) AS paths
RETURN x.id AS intermediary, x.name AS name, head(labels(x)) AS label,
       head([(x)-[:LOCATED_IN*0..3]->(k:Country) | k.name]) AS country,
       origins, goods, size(paths) AS routes, paths
ORDER BY intermediary
