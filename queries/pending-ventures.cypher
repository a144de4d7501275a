// Which partnerships, agreements and asset transfers are announced, planned, under negotiation or pending approval?
// name: pending-ventures
// param: limit integer default=1000 range=1..100000 At most this many rows (by status, kind, party)
// returns: status (announced, planned, negotiating or pending approval), kind (partnership, agreement or acquisition),
// returns: party (id), party_name (name), counterpart (id of the partner, agreement or acquired asset), counterpart_name (name),
// returns: subject (what it is about: the partnership's `on`, the agreement's name, what is acquired),
// returns: since (date, if any), sources (ids of the articles), quotes (the supporting sentences),
// returns: path (graph: the party, the relationship and the counterpart)
MATCH path = (a)-[r:PARTNERS_WITH|PARTY_TO|ACQUIRED]->(b)
WHERE r.status IN ['announced', 'planned', 'negotiating', 'pending approval']
RETURN r.status AS status,
       CASE type(r) WHEN 'PARTNERS_WITH' THEN 'partnership' WHEN 'PARTY_TO' THEN 'agreement' ELSE 'acquisition' END AS kind,
       a.id AS party, a.name AS party_name, b.id AS counterpart, b.name AS counterpart_name,
       CASE type(r) WHEN 'PARTNERS_WITH' THEN r.on WHEN 'PARTY_TO' THEN b.name ELSE coalesce(r.what, b.name) END AS subject,
       r.since AS since, r.sources AS sources, r.quotes AS quotes, path
ORDER BY status, kind, party, counterpart, subject
LIMIT toInteger($limit)
