// Which organisations have the most relationships?
// name: most-connected
// param: limit integer default=10 range=1..1000 How many organisations to list
// returns: organisation (id), name (name), label (Company, Country or Region),
// returns: relationships (number of its relationships; article mentions are not counted), partners (number of distinct partners)
// The counts are the ones the graph keeps (relationship_count, partner_count: docs/model.md).
// Per label, the top of the relationship_count index, then every node counting as many as
// the last of those (ties broken by name below come out right); then the top of all three.
CALL () {
  MATCH (o:Company) WHERE o.relationship_count IS NOT NULL
  WITH o ORDER BY o.relationship_count DESC LIMIT toInteger($limit)
  WITH min(o.relationship_count) AS floor
  MATCH (o:Company) WHERE o.relationship_count >= floor
  RETURN o
  UNION
  MATCH (o:Country) WHERE o.relationship_count IS NOT NULL
  WITH o ORDER BY o.relationship_count DESC LIMIT toInteger($limit)
  WITH min(o.relationship_count) AS floor
  MATCH (o:Country) WHERE o.relationship_count >= floor
  RETURN o
  UNION
  MATCH (o:Region) WHERE o.relationship_count IS NOT NULL
  WITH o ORDER BY o.relationship_count DESC LIMIT toInteger($limit)
  WITH min(o.relationship_count) AS floor
  MATCH (o:Region) WHERE o.relationship_count >= floor
  RETURN o
}
WITH o
ORDER BY o.relationship_count DESC, o.name
LIMIT toInteger($limit)
RETURN o.id AS organisation, o.name AS name, head(labels(o)) AS label,
       o.relationship_count AS relationships, o.partner_count AS partners
ORDER BY relationships DESC, name
