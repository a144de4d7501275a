// Which plants have the largest capacity?
// name: plants-by-capacity
// param: limit integer default=10 range=1..1000 How many plants to list
// returns: rank (1 for the largest), plant (id), name (name), capacity_per_year (vehicles a year), capacity_note (how the article puts it),
// returns: status (operating, planned, idle, closed, converting; null if not stated), operators (names of the companies that own or operate it),
// returns: country (its country, via LOCATED_IN)
MATCH (p:Plant)
WHERE p.capacity_per_year IS NOT NULL
WITH p
ORDER BY p.capacity_per_year DESC, p.name
LIMIT toInteger($limit)
WITH collect(p) AS plants
UNWIND range(0, size(plants) - 1) AS i
WITH i + 1 AS rank, plants[i] AS p
RETURN rank, p.id AS plant, p.name AS name, p.capacity_per_year AS capacity_per_year,
       p.capacity_note AS capacity_note, p.status AS status,
       COLLECT { MATCH (c)-[:OWNS|OPERATES]->(p) RETURN DISTINCT c.name AS n ORDER BY n } AS operators,
       head([(p)-[:LOCATED_IN*1..3]->(k:Country) | k.name]) AS country
ORDER BY rank
