// Who bought or took over what, from whom, when, and with what status?
// name: asset-transfers
// param: limit integer default=1000 range=1..100000 At most this many rows (by buyer, target)
// returns: buyer (id), buyer_name (name), target (id of the company, brand or plant acquired), target_name (name), target_label (its label),
// returns: what (what changed hands, as the article puts it), seller (id of the seller), seller_name (name),
// returns: condition (any condition), status (announced, negotiating, ... ; null if not stated), since (date), reported_on (date),
// returns: sources (ids of the articles), quotes (the supporting sentences),
// returns: graph (graph: the buyer, the transfer, the target and the seller)
MATCH path = (b)-[r:ACQUIRED]->(t)
WITH b, r, t, path,
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
       r.sources AS sources, r.quotes AS quotes, [path] + sellers AS graph
ORDER BY buyer, target, what
LIMIT toInteger($limit)
