// Who bought or took over what, from whom, when, and with what status?
// name: asset-transfers
// param: limit integer default=25 range=1..100000 At most this many rows: one page (by the buyer's label, buyer, target, what)
// param: after cursor The page after this cursor (the last row's sort key, printed under a full page); the first page without it
// returns: buyer (id), buyer_name (name), target (id of the company, brand or plant acquired), target_name (name), target_label (its label),
// returns: what (what changed hands, as the article puts it), seller (id of the seller), seller_name (name),
// returns: condition (any condition), status (announced, negotiating, ... ; null if not stated), since (date), reported_on (date),
// returns: sources (ids of the articles), quotes (the supporting sentences),
// returns: cursor (cursor: the row's sort key, [rank of the buyer's label, buyer, target, what]),
// returns: graph (graph: the buyer, the transfer, the target and the seller)
// Paged by buyer, the buyer's label first (companies, countries, people: the cursor's first item
// is that rank), then its id, read in order from the label's id index: a label is read only
// while the page is not full.
// How many facts each label starts, from the count store (no reading). A label that starts
// none, or that the page does not reach, seeks from '~' (ids are lowercase slugs: '~' sorts
// after every id), which finds nothing at once.
CALL () { MATCH (:Company)-[:ACQUIRED]->() RETURN count(*) AS company_acquired }
CALL () { MATCH (:Country)-[:ACQUIRED]->() RETURN count(*) AS country_acquired }
CALL () { MATCH (:Person)-[:ACQUIRED]->() RETURN count(*) AS person_acquired }
WITH [] AS found, company_acquired, country_acquired, person_acquired
CALL (found, company_acquired, country_acquired, person_acquired) {
  WITH size(found) < toInteger($limit) AND coalesce($after[0], 0) <= 0 AND company_acquired > 0 AS wanted
  MATCH (b:Company) USING INDEX b:Company(id)
  WHERE b.id >= CASE WHEN NOT wanted THEN '~' WHEN $after[0] = 0 THEN $after[1] ELSE '' END
  MATCH path = (b)-[r:ACQUIRED]->(t)
  WITH b, r, t, path WHERE $after IS NULL OR [0, b.id, t.id, coalesce(r.what, '')] > $after
  WITH b, r, t, path ORDER BY b.id, t.id, coalesce(r.what, '') LIMIT toInteger($limit)
  RETURN collect({rank: 0, b: b, r: r, t: t, path: path}) AS more
}
WITH found + more AS found, company_acquired, country_acquired, person_acquired
CALL (found, company_acquired, country_acquired, person_acquired) {
  WITH size(found) < toInteger($limit) AND coalesce($after[0], 0) <= 1 AND country_acquired > 0 AS wanted
  MATCH (b:Country) USING INDEX b:Country(id)
  WHERE b.id >= CASE WHEN NOT wanted THEN '~' WHEN $after[0] = 1 THEN $after[1] ELSE '' END
  MATCH path = (b)-[r:ACQUIRED]->(t)
  WITH b, r, t, path WHERE $after IS NULL OR [1, b.id, t.id, coalesce(r.what, '')] > $after
  WITH b, r, t, path ORDER BY b.id, t.id, coalesce(r.what, '') LIMIT toInteger($limit)
  RETURN collect({rank: 1, b: b, r: r, t: t, path: path}) AS more
}
WITH found + more AS found, company_acquired, country_acquired, person_acquired
CALL (found, company_acquired, country_acquired, person_acquired) {
  WITH size(found) < toInteger($limit) AND coalesce($after[0], 0) <= 2 AND person_acquired > 0 AS wanted
  MATCH (b:Person) USING INDEX b:Person(id)
  WHERE b.id >= CASE WHEN NOT wanted THEN '~' WHEN $after[0] = 2 THEN $after[1] ELSE '' END
  MATCH path = (b)-[r:ACQUIRED]->(t)
  WITH b, r, t, path WHERE $after IS NULL OR [2, b.id, t.id, coalesce(r.what, '')] > $after
  WITH b, r, t, path ORDER BY b.id, t.id, coalesce(r.what, '') LIMIT toInteger($limit)
  RETURN collect({rank: 2, b: b, r: r, t: t, path: path}) AS more
}
WITH found + more AS found, company_acquired, country_acquired, person_acquired
UNWIND found[..toInteger($limit)] AS f
WITH f.rank AS rank, f.b AS b, f.r AS r, f.t AS t, f.path AS path
WITH rank, b, r, t, path,
     COLLECT {
       MATCH (s:Company {id: r.from_party}) RETURN s
       UNION
       MATCH (s:Country {id: r.from_party}) RETURN s
       UNION
       MATCH (s:Person {id: r.from_party}) RETURN s
     } AS sellers
RETURN b.id AS buyer, b.name AS buyer_name, t.id AS target, t.name AS target_name, head(labels(t)) AS target_label,
       r.what AS what, r.from_party AS seller, head([s IN sellers | s.name]) AS seller_name,
       r.condition AS condition, r.status AS status, r.since AS since, r.reported_on AS reported_on,
       r.sources AS sources, r.quotes AS quotes,
       [rank, b.id, t.id, coalesce(r.what, '')] AS cursor, [path] + sellers AS graph
ORDER BY rank, buyer, target, coalesce(what, '')
