// Which agreements and projects exist: their parties, what they cover and which markets they target?
// name: agreements
// param: limit integer default=25 range=1..100000 At most this many agreements: one page (by id)
// param: after cursor The page after this cursor (the last row's sort key, printed under a full page); the first page without it
// returns: agreement (id), name (name), kind (joint venture, joint production, project, special investment contract...),
// returns: parties (names of the parties), covers (names of the models, plants, brands or contracts it covers),
// returns: markets (names of the markets it targets), statuses (the distinct statuses of its parties' involvement),
// returns: cursor (cursor: the row's sort key, [agreement]),
// returns: paths (graph: the agreement with its parties, what it covers and its markets)
// Paged by id: the Agreement id index is read in order from the cursor.
MATCH (a:Agreement) USING INDEX a:Agreement(id) WHERE a.id > coalesce($after[0], '')
WITH a ORDER BY a.id LIMIT toInteger($limit)
RETURN a.id AS agreement, a.name AS name, a.kind AS kind,
       COLLECT { MATCH (p)-[:PARTY_TO]->(a) RETURN DISTINCT p.name AS n ORDER BY n } AS parties,
       COLLECT { MATCH (a)-[:COVERS]->(x) RETURN DISTINCT x.name AS n ORDER BY n } AS covers,
       COLLECT { MATCH (a)-[:TARGETS_MARKET]->(x) RETURN DISTINCT x.name AS n ORDER BY n } AS markets,
       COLLECT { MATCH ()-[r:PARTY_TO]->(a) WHERE r.status IS NOT NULL RETURN DISTINCT r.status AS s ORDER BY s } AS statuses,
       [a.id] AS cursor,
       COLLECT { MATCH path = (a)-[:PARTY_TO|COVERS|TARGETS_MARKET]-() RETURN path } AS paths
ORDER BY agreement
