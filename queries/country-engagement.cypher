// How is a country engaged: its partners, agreements, the people who speak for it, the plants they visited, the routes and projects aimed at it?
// name: country-engagement
// param: country string example=Iran lookup=Country The country: id, name or alias, any case
// param: limit integer default=25 range=1..1000 At most this many rows (by engagement, then item)
// returns: engagement (agreement, interview, partner, spokesperson, supplied by, targeted by, visit),
// returns: item (id of the partner, agreement, person, plant, media outlet, supplier or project), item_name (name), item_label (its label),
// returns: detail (the partnership's `on`, the party's or spokesperson's role, who visited or gave the interview, the goods supplied),
// returns: status (of the engagement; null if not stated), sources (ids of the articles), quotes (the supporting sentences),
// returns: path (graph: how the country and the item are linked)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($country), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS c
WHERE c:Country
// One subquery per engagement, in the answer's order. Each runs only while the rows so far
// are fewer than $limit: a big market's suppliers fill the answer, and the tens of thousands
// of projects aimed at it are never read.
WITH c, [] AS rows
CALL (c, rows) {
  WITH c WHERE size(rows) < toInteger($limit)
  MATCH path = (c)-[r:PARTY_TO]->(x:Agreement)
  WITH x, r.role AS detail, r AS fact, path ORDER BY x.id, detail LIMIT toInteger($limit)
  RETURN collect({engagement: 'agreement', x: x, detail: detail, fact: fact, path: path}) AS more
}
WITH c, rows + more AS rows
CALL (c, rows) {
  WITH c WHERE size(rows) < toInteger($limit)
  MATCH path = (c)<-[:REPRESENTS]-(p:Person)-[r:INTERVIEWED_BY]->(x)
  WITH x, p.name AS detail, r AS fact, path ORDER BY x.id, detail LIMIT toInteger($limit)
  RETURN collect({engagement: 'interview', x: x, detail: detail, fact: fact, path: path}) AS more
}
WITH c, rows + more AS rows
CALL (c, rows) {
  WITH c WHERE size(rows) < toInteger($limit)
  MATCH path = (c)-[r:PARTNERS_WITH]-(x)
  WITH x, r.on AS detail, r AS fact, path ORDER BY x.id, detail LIMIT toInteger($limit)
  RETURN collect({engagement: 'partner', x: x, detail: detail, fact: fact, path: path}) AS more
}
WITH c, rows + more AS rows
CALL (c, rows) {
  WITH c WHERE size(rows) < toInteger($limit)
  MATCH path = (c)<-[r:REPRESENTS]-(x:Person)
  WITH x, r.role AS detail, r AS fact, path ORDER BY x.id, detail LIMIT toInteger($limit)
  RETURN collect({engagement: 'spokesperson', x: x, detail: detail, fact: fact, path: path}) AS more
}
WITH c, rows + more AS rows
CALL (c, rows) {
  WITH c WHERE size(rows) < toInteger($limit)
  MATCH path = (c)<-[r:SHIPS_TO|SUPPLIES]-(x)
  WITH x, r.goods AS detail, r AS fact, path ORDER BY x.id, detail LIMIT toInteger($limit)
  RETURN collect({engagement: 'supplied by', x: x, detail: detail, fact: fact, path: path}) AS more
}
WITH c, rows + more AS rows
CALL (c, rows) {
  WITH c WHERE size(rows) < toInteger($limit)
  MATCH path = (c)<-[r:TARGETS_MARKET]-(x)
  WITH x, null AS detail, r AS fact, path ORDER BY x.id, detail LIMIT toInteger($limit)
  RETURN collect({engagement: 'targeted by', x: x, detail: detail, fact: fact, path: path}) AS more
}
WITH c, rows + more AS rows
CALL (c, rows) {
  WITH c WHERE size(rows) < toInteger($limit)
  MATCH path = (c)<-[:REPRESENTS]-(p:Person)-[r:VISITED]->(x)
  WITH x, p.name AS detail, r AS fact, path ORDER BY x.id, detail LIMIT toInteger($limit)
  RETURN collect({engagement: 'visit', x: x, detail: detail, fact: fact, path: path}) AS more
}
WITH c, rows + more AS rows
UNWIND rows[..toInteger($limit)] AS row
WITH row.engagement AS engagement, row.x AS x, row.detail AS detail, row.fact AS fact, row.path AS path
RETURN engagement, x.id AS item, x.name AS item_name, head(labels(x)) AS item_label, detail,
       fact.status AS status, fact.sources AS sources, fact.quotes AS quotes, path
ORDER BY engagement, item, detail
