// Who is party to an agreement or project, in what role, and who holds or lacks it?
// name: agreement-parties
// param: agreement string example="Moskvich project" lookup=Agreement The agreement, contract or project: id, name or alias (e.g. SPIC)
// param: limit integer default=25 range=1..1000 At most this many parties (by party id)
// returns: agreement (id), agreement_name (name), kind (joint venture, licence, special investment contract, project...),
// returns: party (id), party_name (name), party_label (Company, Country, Region or Person), role (the party's role),
// returns: holds (true: holds it; false: does not (yet) hold it; null: not stated), status (of the party's involvement),
// returns: since (date), sources (ids of the articles), quotes (the supporting sentences),
// returns: path (graph: the party and the agreement)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($agreement), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS a
WHERE a:Agreement
MATCH path = (p)-[r:PARTY_TO]->(a)
RETURN a.id AS agreement, a.name AS agreement_name, a.kind AS kind, p.id AS party, p.name AS party_name,
       head(labels(p)) AS party_label, r.role AS role, r.holds AS holds, r.status AS status, r.since AS since,
       r.sources AS sources, r.quotes AS quotes, path
ORDER BY agreement, party
LIMIT toInteger($limit)
