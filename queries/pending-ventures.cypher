// Which partnerships, agreements and asset transfers are announced, planned, under negotiation or pending approval?
// name: pending-ventures
// param: limit integer default=25 range=1..100000 At most this many rows: one page (by the party's label, party, kind, counterpart, subject)
// param: after cursor The page after this cursor (the last row's sort key, printed under a full page); the first page without it
// returns: status (announced, planned, negotiating or pending approval), kind (partnership, agreement or acquisition),
// returns: party (id), party_name (name), counterpart (id of the partner, agreement or acquired asset), counterpart_name (name),
// returns: subject (what it is about: the partnership's `on`, the agreement's name, what is acquired),
// returns: since (date, if any), sources (ids of the articles), quotes (the supporting sentences),
// returns: cursor (cursor: the row's sort key, [rank of the party's label, party, kind, counterpart, subject]),
// returns: path (graph: the party, the relationship and the counterpart)
// Paged by party, the party's label first (companies, countries, regions, people, brands: the
// cursor's first item is that rank), then its id, read in order from the label's id index: a
// label is read only while the page is not full, so a page costs about `limit` rows of reading.
// How many facts each label starts, from the count store (no reading). A label that starts
// none, or that the page does not reach, seeks from '~' (ids are lowercase slugs: '~' sorts
// after every id), which finds nothing at once.
CALL () { MATCH (:Company)-[:PARTNERS_WITH]->() RETURN count(*) AS company_partners_with }
CALL () { MATCH (:Company)-[:PARTY_TO]->() RETURN count(*) AS company_party_to }
CALL () { MATCH (:Company)-[:ACQUIRED]->() RETURN count(*) AS company_acquired }
CALL () { MATCH (:Country)-[:PARTNERS_WITH]->() RETURN count(*) AS country_partners_with }
CALL () { MATCH (:Country)-[:PARTY_TO]->() RETURN count(*) AS country_party_to }
CALL () { MATCH (:Country)-[:ACQUIRED]->() RETURN count(*) AS country_acquired }
CALL () { MATCH (:Region)-[:PARTNERS_WITH]->() RETURN count(*) AS region_partners_with }
CALL () { MATCH (:Region)-[:PARTY_TO]->() RETURN count(*) AS region_party_to }
CALL () { MATCH (:Person)-[:PARTY_TO]->() RETURN count(*) AS person_party_to }
CALL () { MATCH (:Person)-[:ACQUIRED]->() RETURN count(*) AS person_acquired }
CALL () { MATCH (:Brand)-[:PARTNERS_WITH]->() RETURN count(*) AS brand_partners_with }
WITH [] AS found, company_partners_with, company_party_to, company_acquired, country_partners_with, country_party_to, country_acquired, region_partners_with, region_party_to, person_party_to, person_acquired, brand_partners_with
CALL (found, company_partners_with, company_party_to, company_acquired, country_partners_with, country_party_to, country_acquired, region_partners_with, region_party_to, person_party_to, person_acquired, brand_partners_with) {
  WITH size(found) < toInteger($limit) AND coalesce($after[0], 0) <= 0 AND company_partners_with + company_party_to + company_acquired > 0 AS wanted
  MATCH (a:Company) USING INDEX a:Company(id)
  WHERE a.id >= CASE WHEN NOT wanted THEN '~' WHEN $after[0] = 0 THEN $after[1] ELSE '' END
  MATCH path = (a)-[r:PARTNERS_WITH|PARTY_TO|ACQUIRED]->(b) WHERE r.status IN ['announced', 'planned', 'negotiating', 'pending approval']
  WITH a, r, b, path, CASE type(r) WHEN 'PARTNERS_WITH' THEN 'partnership' WHEN 'PARTY_TO' THEN 'agreement' ELSE 'acquisition' END AS kind, CASE type(r) WHEN 'PARTNERS_WITH' THEN r.on WHEN 'PARTY_TO' THEN b.name ELSE coalesce(r.what, b.name) END AS subject
  WITH a, r, b, path, kind, subject WHERE $after IS NULL OR [0, a.id, kind, b.id, subject] > $after
  WITH a, r, b, path, kind, subject ORDER BY a.id, kind, b.id, subject LIMIT toInteger($limit)
  RETURN collect({rank: 0, a: a, r: r, b: b, path: path, kind: kind, subject: subject}) AS more
}
WITH found + more AS found, company_partners_with, company_party_to, company_acquired, country_partners_with, country_party_to, country_acquired, region_partners_with, region_party_to, person_party_to, person_acquired, brand_partners_with
CALL (found, company_partners_with, company_party_to, company_acquired, country_partners_with, country_party_to, country_acquired, region_partners_with, region_party_to, person_party_to, person_acquired, brand_partners_with) {
  WITH size(found) < toInteger($limit) AND coalesce($after[0], 0) <= 1 AND country_partners_with + country_party_to + country_acquired > 0 AS wanted
  MATCH (a:Country) USING INDEX a:Country(id)
  WHERE a.id >= CASE WHEN NOT wanted THEN '~' WHEN $after[0] = 1 THEN $after[1] ELSE '' END
  MATCH path = (a)-[r:PARTNERS_WITH|PARTY_TO|ACQUIRED]->(b) WHERE r.status IN ['announced', 'planned', 'negotiating', 'pending approval']
  WITH a, r, b, path, CASE type(r) WHEN 'PARTNERS_WITH' THEN 'partnership' WHEN 'PARTY_TO' THEN 'agreement' ELSE 'acquisition' END AS kind, CASE type(r) WHEN 'PARTNERS_WITH' THEN r.on WHEN 'PARTY_TO' THEN b.name ELSE coalesce(r.what, b.name) END AS subject
  WITH a, r, b, path, kind, subject WHERE $after IS NULL OR [1, a.id, kind, b.id, subject] > $after
  WITH a, r, b, path, kind, subject ORDER BY a.id, kind, b.id, subject LIMIT toInteger($limit)
  RETURN collect({rank: 1, a: a, r: r, b: b, path: path, kind: kind, subject: subject}) AS more
}
WITH found + more AS found, company_partners_with, company_party_to, company_acquired, country_partners_with, country_party_to, country_acquired, region_partners_with, region_party_to, person_party_to, person_acquired, brand_partners_with
CALL (found, company_partners_with, company_party_to, company_acquired, country_partners_with, country_party_to, country_acquired, region_partners_with, region_party_to, person_party_to, person_acquired, brand_partners_with) {
  WITH size(found) < toInteger($limit) AND coalesce($after[0], 0) <= 2 AND region_partners_with + region_party_to > 0 AS wanted
  MATCH (a:Region) USING INDEX a:Region(id)
  WHERE a.id >= CASE WHEN NOT wanted THEN '~' WHEN $after[0] = 2 THEN $after[1] ELSE '' END
  MATCH path = (a)-[r:PARTNERS_WITH|PARTY_TO]->(b) WHERE r.status IN ['announced', 'planned', 'negotiating', 'pending approval']
  WITH a, r, b, path, CASE type(r) WHEN 'PARTNERS_WITH' THEN 'partnership' WHEN 'PARTY_TO' THEN 'agreement' ELSE 'acquisition' END AS kind, CASE type(r) WHEN 'PARTNERS_WITH' THEN r.on WHEN 'PARTY_TO' THEN b.name ELSE coalesce(r.what, b.name) END AS subject
  WITH a, r, b, path, kind, subject WHERE $after IS NULL OR [2, a.id, kind, b.id, subject] > $after
  WITH a, r, b, path, kind, subject ORDER BY a.id, kind, b.id, subject LIMIT toInteger($limit)
  RETURN collect({rank: 2, a: a, r: r, b: b, path: path, kind: kind, subject: subject}) AS more
}
WITH found + more AS found, company_partners_with, company_party_to, company_acquired, country_partners_with, country_party_to, country_acquired, region_partners_with, region_party_to, person_party_to, person_acquired, brand_partners_with
CALL (found, company_partners_with, company_party_to, company_acquired, country_partners_with, country_party_to, country_acquired, region_partners_with, region_party_to, person_party_to, person_acquired, brand_partners_with) {
  WITH size(found) < toInteger($limit) AND coalesce($after[0], 0) <= 3 AND person_party_to + person_acquired > 0 AS wanted
  MATCH (a:Person) USING INDEX a:Person(id)
  WHERE a.id >= CASE WHEN NOT wanted THEN '~' WHEN $after[0] = 3 THEN $after[1] ELSE '' END
  MATCH path = (a)-[r:PARTY_TO|ACQUIRED]->(b) WHERE r.status IN ['announced', 'planned', 'negotiating', 'pending approval']
  WITH a, r, b, path, CASE type(r) WHEN 'PARTNERS_WITH' THEN 'partnership' WHEN 'PARTY_TO' THEN 'agreement' ELSE 'acquisition' END AS kind, CASE type(r) WHEN 'PARTNERS_WITH' THEN r.on WHEN 'PARTY_TO' THEN b.name ELSE coalesce(r.what, b.name) END AS subject
  WITH a, r, b, path, kind, subject WHERE $after IS NULL OR [3, a.id, kind, b.id, subject] > $after
  WITH a, r, b, path, kind, subject ORDER BY a.id, kind, b.id, subject LIMIT toInteger($limit)
  RETURN collect({rank: 3, a: a, r: r, b: b, path: path, kind: kind, subject: subject}) AS more
}
WITH found + more AS found, company_partners_with, company_party_to, company_acquired, country_partners_with, country_party_to, country_acquired, region_partners_with, region_party_to, person_party_to, person_acquired, brand_partners_with
CALL (found, company_partners_with, company_party_to, company_acquired, country_partners_with, country_party_to, country_acquired, region_partners_with, region_party_to, person_party_to, person_acquired, brand_partners_with) {
  WITH size(found) < toInteger($limit) AND coalesce($after[0], 0) <= 4 AND brand_partners_with > 0 AS wanted
  MATCH (a:Brand) USING INDEX a:Brand(id)
  WHERE a.id >= CASE WHEN NOT wanted THEN '~' WHEN $after[0] = 4 THEN $after[1] ELSE '' END
  MATCH path = (a)-[r:PARTNERS_WITH]->(b) WHERE r.status IN ['announced', 'planned', 'negotiating', 'pending approval']
  WITH a, r, b, path, CASE type(r) WHEN 'PARTNERS_WITH' THEN 'partnership' WHEN 'PARTY_TO' THEN 'agreement' ELSE 'acquisition' END AS kind, CASE type(r) WHEN 'PARTNERS_WITH' THEN r.on WHEN 'PARTY_TO' THEN b.name ELSE coalesce(r.what, b.name) END AS subject
  WITH a, r, b, path, kind, subject WHERE $after IS NULL OR [4, a.id, kind, b.id, subject] > $after
  WITH a, r, b, path, kind, subject ORDER BY a.id, kind, b.id, subject LIMIT toInteger($limit)
  RETURN collect({rank: 4, a: a, r: r, b: b, path: path, kind: kind, subject: subject}) AS more
}
WITH found + more AS found, company_partners_with, company_party_to, company_acquired, country_partners_with, country_party_to, country_acquired, region_partners_with, region_party_to, person_party_to, person_acquired, brand_partners_with
UNWIND found[..toInteger($limit)] AS f
WITH f.rank AS rank, f.a AS a, f.r AS r, f.b AS b, f.path AS path, f.kind AS kind, f.subject AS subject
RETURN r.status AS status, kind, a.id AS party, a.name AS party_name, b.id AS counterpart, b.name AS counterpart_name,
       subject, r.since AS since, r.sources AS sources, r.quotes AS quotes,
       [rank, a.id, kind, b.id, subject] AS cursor, path
ORDER BY rank, party, kind, counterpart, subject
