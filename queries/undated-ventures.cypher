// Which partnerships, agreements and asset transfers have no date at all (no since, until or reported-on date)?
// name: undated-ventures
// param: limit integer default=25 range=1..100000 At most this many rows: one page (by party, kind, counterpart, subject)
// param: after cursor The page after this cursor (the last row's sort key, printed under a full page); the first page without it
// returns: kind (partnership, agreement or acquisition), party (id), party_name (name),
// returns: counterpart (id of the partner, agreement or acquired asset), counterpart_name (name),
// returns: subject (what it is about: the partnership's `on`, the agreement's name, what is acquired),
// returns: status (its status; null if not stated), sources (ids of the articles), quotes (the supporting sentences),
// returns: cursor (cursor: the row's sort key, [party, kind, counterpart, subject]),
// returns: path (graph: the party, the relationship and the counterpart)
// Paged by party: each party label's id index is read in order from the cursor (one branch
// per label that starts these relationships), the first `limit` of each branch are merged.
CALL () {
  MATCH (a:Company) USING INDEX a:Company(id) WHERE a.id >= coalesce($after[0], '')
  MATCH path = (a)-[r:PARTNERS_WITH|PARTY_TO|ACQUIRED]->(b) WHERE r.since IS NULL AND r.until IS NULL AND r.reported_on IS NULL
  WITH a, r, b, path, CASE type(r) WHEN 'PARTNERS_WITH' THEN 'partnership' WHEN 'PARTY_TO' THEN 'agreement' ELSE 'acquisition' END AS kind, CASE type(r) WHEN 'PARTNERS_WITH' THEN r.on WHEN 'PARTY_TO' THEN b.name ELSE coalesce(r.what, b.name) END AS subject
  WITH a, r, b, path, kind, subject WHERE $after IS NULL OR [a.id, kind, b.id, subject] > $after
  RETURN a, r, b, path, kind, subject ORDER BY a.id, kind, b.id, subject LIMIT toInteger($limit)
  UNION ALL
  MATCH (a:Country) USING INDEX a:Country(id) WHERE a.id >= coalesce($after[0], '')
  MATCH path = (a)-[r:PARTNERS_WITH|PARTY_TO|ACQUIRED]->(b) WHERE r.since IS NULL AND r.until IS NULL AND r.reported_on IS NULL
  WITH a, r, b, path, CASE type(r) WHEN 'PARTNERS_WITH' THEN 'partnership' WHEN 'PARTY_TO' THEN 'agreement' ELSE 'acquisition' END AS kind, CASE type(r) WHEN 'PARTNERS_WITH' THEN r.on WHEN 'PARTY_TO' THEN b.name ELSE coalesce(r.what, b.name) END AS subject
  WITH a, r, b, path, kind, subject WHERE $after IS NULL OR [a.id, kind, b.id, subject] > $after
  RETURN a, r, b, path, kind, subject ORDER BY a.id, kind, b.id, subject LIMIT toInteger($limit)
  UNION ALL
  MATCH (a:Region) USING INDEX a:Region(id) WHERE a.id >= coalesce($after[0], '')
  MATCH path = (a)-[r:PARTNERS_WITH|PARTY_TO]->(b) WHERE r.since IS NULL AND r.until IS NULL AND r.reported_on IS NULL
  WITH a, r, b, path, CASE type(r) WHEN 'PARTNERS_WITH' THEN 'partnership' WHEN 'PARTY_TO' THEN 'agreement' ELSE 'acquisition' END AS kind, CASE type(r) WHEN 'PARTNERS_WITH' THEN r.on WHEN 'PARTY_TO' THEN b.name ELSE coalesce(r.what, b.name) END AS subject
  WITH a, r, b, path, kind, subject WHERE $after IS NULL OR [a.id, kind, b.id, subject] > $after
  RETURN a, r, b, path, kind, subject ORDER BY a.id, kind, b.id, subject LIMIT toInteger($limit)
  UNION ALL
  MATCH (a:Brand) USING INDEX a:Brand(id) WHERE a.id >= coalesce($after[0], '')
  MATCH path = (a)-[r:PARTNERS_WITH]->(b) WHERE r.since IS NULL AND r.until IS NULL AND r.reported_on IS NULL
  WITH a, r, b, path, CASE type(r) WHEN 'PARTNERS_WITH' THEN 'partnership' WHEN 'PARTY_TO' THEN 'agreement' ELSE 'acquisition' END AS kind, CASE type(r) WHEN 'PARTNERS_WITH' THEN r.on WHEN 'PARTY_TO' THEN b.name ELSE coalesce(r.what, b.name) END AS subject
  WITH a, r, b, path, kind, subject WHERE $after IS NULL OR [a.id, kind, b.id, subject] > $after
  RETURN a, r, b, path, kind, subject ORDER BY a.id, kind, b.id, subject LIMIT toInteger($limit)
  UNION ALL
  MATCH (a:Person) USING INDEX a:Person(id) WHERE a.id >= coalesce($after[0], '')
  MATCH path = (a)-[r:PARTY_TO|ACQUIRED]->(b) WHERE r.since IS NULL AND r.until IS NULL AND r.reported_on IS NULL
  WITH a, r, b, path, CASE type(r) WHEN 'PARTNERS_WITH' THEN 'partnership' WHEN 'PARTY_TO' THEN 'agreement' ELSE 'acquisition' END AS kind, CASE type(r) WHEN 'PARTNERS_WITH' THEN r.on WHEN 'PARTY_TO' THEN b.name ELSE coalesce(r.what, b.name) END AS subject
  WITH a, r, b, path, kind, subject WHERE $after IS NULL OR [a.id, kind, b.id, subject] > $after
  RETURN a, r, b, path, kind, subject ORDER BY a.id, kind, b.id, subject LIMIT toInteger($limit)
}
WITH a, r, b, path, kind, subject ORDER BY a.id, kind, b.id, subject LIMIT toInteger($limit)
RETURN kind, a.id AS party, a.name AS party_name, b.id AS counterpart, b.name AS counterpart_name,
       subject, r.status AS status, r.sources AS sources, r.quotes AS quotes,
       [a.id, kind, b.id, subject] AS cursor, path
