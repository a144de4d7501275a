// Who holds, and who lacks, which contract (such as a special investment contract, SPIC)?
// name: contract-holders
// param: limit integer default=1000 range=1..100000 At most this many rows (by agreement, then holders first)
// returns: agreement (id), agreement_name (name), kind (special investment contract, licence...), party (id), party_name (name),
// returns: holds (true: holds it; false: does not hold it), role (the party's role), status (e.g. pending approval),
// returns: sources (ids of the articles), quotes (the supporting sentences),
// returns: path (graph: the party and the contract)
MATCH path = (p)-[r:PARTY_TO]->(a:Agreement)
WHERE r.holds IS NOT NULL
RETURN a.id AS agreement, a.name AS agreement_name, a.kind AS kind, p.id AS party, p.name AS party_name,
       r.holds AS holds, r.role AS role, r.status AS status, r.sources AS sources, r.quotes AS quotes, path
ORDER BY agreement, holds DESC, party
LIMIT toInteger($limit)
