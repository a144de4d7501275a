// How is a country engaged: its partners, agreements, the people who speak for it, the plants they visited, the routes and projects aimed at it?
// name: country-engagement
// param: country string example=Iran The country: id, name or alias, any case
// param: limit integer default=25 range=1..1000 At most this many rows (by engagement, then item)
// returns: engagement (agreement, interview, partner, spokesperson, supplied by, targeted by, visit),
// returns: item (id of the partner, agreement, person, plant, media outlet, supplier or project), item_name (name), item_label (its label),
// returns: detail (the partnership's `on`, the party's or spokesperson's role, who visited or gave the interview, the goods supplied),
// returns: status (of the engagement; null if not stated), sources (ids of the articles), quotes (the supporting sentences),
// returns: path (graph: how the country and the item are linked)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($country), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS c
WHERE c:Country
CALL {
  WITH c
  MATCH path = (c)-[r:PARTNERS_WITH]-(x)
  RETURN 'partner' AS engagement, x, r.on AS detail, r AS fact, path
  UNION ALL
  WITH c
  MATCH path = (c)-[r:PARTY_TO]->(x:Agreement)
  RETURN 'agreement' AS engagement, x, r.role AS detail, r AS fact, path
  UNION ALL
  WITH c
  MATCH path = (c)<-[r:REPRESENTS]-(x:Person)
  RETURN 'spokesperson' AS engagement, x, r.role AS detail, r AS fact, path
  UNION ALL
  WITH c
  MATCH path = (c)<-[:REPRESENTS]-(p:Person)-[r:VISITED]->(x)
  RETURN 'visit' AS engagement, x, p.name AS detail, r AS fact, path
  UNION ALL
  WITH c
  MATCH path = (c)<-[:REPRESENTS]-(p:Person)-[r:INTERVIEWED_BY]->(x)
  RETURN 'interview' AS engagement, x, p.name AS detail, r AS fact, path
  UNION ALL
  WITH c
  MATCH path = (c)<-[r:SHIPS_TO|SUPPLIES]-(x)
  RETURN 'supplied by' AS engagement, x, r.goods AS detail, r AS fact, path
  UNION ALL
  WITH c
  MATCH path = (c)<-[r:TARGETS_MARKET]-(x)
  RETURN 'targeted by' AS engagement, x, null AS detail, r AS fact, path
}
RETURN engagement, x.id AS item, x.name AS item_name, head(labels(x)) AS item_label, detail,
       fact.status AS status, fact.sources AS sources, fact.quotes AS quotes, path
ORDER BY engagement, item, detail
LIMIT $limit
