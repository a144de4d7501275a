// Which organisations have the most relationships?
// name: most-connected
// param: limit integer default=10 range=1..1000 How many organisations to list
// returns: organisation (id), name (name), label (Company, Country or Region),
// returns: relationships (number of its relationships; article mentions are not counted), partners (number of distinct partners)
MATCH (o)
WHERE o:Company OR o:Country OR o:Region
WITH o,
     COUNT { (o)-[r]-() WHERE NOT r:MENTIONS } AS relationships,
     COUNT { MATCH (o)-[:PARTNERS_WITH]-(p) RETURN DISTINCT p } AS partners
ORDER BY relationships DESC, o.name
LIMIT toInteger($limit)
RETURN o.id AS organisation, o.name AS name, head(labels(o)) AS label, relationships, partners
ORDER BY relationships DESC, name
