// Who holds, and who lacks, which contract (such as a special investment contract, SPIC)?
// name: contract-holders
// param: limit integer default=25 range=1..100000 At most this many rows: one page (by agreement, then holders first, then party)
// param: after cursor The page after this cursor (the last row's sort key, printed under a full page); the first page without it
// returns: agreement (id), agreement_name (name), kind (special investment contract, licence...), party (id), party_name (name),
// returns: holds (true: holds it; false: does not hold it), role (the party's role), status (e.g. pending approval),
// returns: sources (ids of the articles), quotes (the supporting sentences),
// returns: cursor (cursor: the row's sort key, [agreement, not holds, party]),
// returns: path (graph: the party and the contract)
// Paged by agreement: the Agreement id index is read in order from the cursor.
MATCH (a:Agreement) USING INDEX a:Agreement(id) WHERE a.id >= coalesce($after[0], '')
MATCH path = (p)-[r:PARTY_TO]->(a)
WHERE r.holds IS NOT NULL AND ($after IS NULL OR [a.id, NOT r.holds, p.id] > $after)
WITH a, p, r, path ORDER BY a.id, NOT r.holds, p.id LIMIT toInteger($limit)
RETURN a.id AS agreement, a.name AS agreement_name, a.kind AS kind, p.id AS party, p.name AS party_name,
       r.holds AS holds, r.role AS role, r.status AS status, r.sources AS sources, r.quotes AS quotes,
       [a.id, NOT r.holds, p.id] AS cursor, path
