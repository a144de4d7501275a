// Which partnerships, agreements and asset transfers have no date at all (no since, until or reported-on date)?
// name: undated-ventures
// param: limit integer default=1000 range=1..100000 At most this many rows (by kind, party)
// returns: kind (partnership, agreement or acquisition), party (id), party_name (name),
// returns: counterpart (id of the partner, agreement or acquired asset), counterpart_name (name),
// returns: subject (what it is about: the partnership's `on`, the agreement's name, what is acquired),
// returns: status (its status; null if not stated), sources (ids of the articles), quotes (the supporting sentences),
// returns: path (graph: the party, the relationship and the counterpart)
MATCH path = (a)-[r:PARTNERS_WITH|PARTY_TO|ACQUIRED]->(b)
WHERE r.since IS NULL AND r.until IS NULL AND r.reported_on IS NULL
RETURN CASE type(r) WHEN 'PARTNERS_WITH' THEN 'partnership' WHEN 'PARTY_TO' THEN 'agreement' ELSE 'acquisition' END AS kind,
       a.id AS party, a.name AS party_name, b.id AS counterpart, b.name AS counterpart_name,
       CASE type(r) WHEN 'PARTNERS_WITH' THEN r.on WHEN 'PARTY_TO' THEN b.name ELSE coalesce(r.what, b.name) END AS subject,
       r.status AS status, r.sources AS sources, r.quotes AS quotes, path
ORDER BY kind, party, counterpart, subject
LIMIT toInteger($limit)
