// Everything article X says: which facts cite it, with the sentence it gives for each?
// name: article-facts
// param: source string example=moskvich-jac-kamaz The article's source id (`motorgraph articles` lists them); an unknown id gives no rows
// param: limit integer default=1000 range=1..100000 At most this many facts (by from, type, to, details)
// returns: from (id of the start entity), from_name (its name), from_label (its label), type (the relationship type),
// returns: to (id of the end entity), to_name (its name), to_label (its label),
// returns: status (the fact's status; null if not stated), since (since when; null if not stated), until (until when; null if not stated),
// returns: details (the fact's other properties as "key: value", sorted by key: on, goods, mode, role, reported_on...),
// returns: quote (the sentence THIS article gives for the fact; other articles citing it are not shown),
// returns: path (graph: the two entities and the relationship)
// A list property cannot be indexed: after the Source id lookup, every relationship is read once.
MATCH (s:Source {id: $source})
MATCH path = (a)-[r]->(b)
WHERE s.id IN r.sources
WITH s, a, r, b, path,
     COLLECT { UNWIND keys(r) AS k
               WITH k WHERE NOT k IN ['sources', 'quotes', 'claims', 'status', 'since', 'until']
               RETURN k + ': ' + toString(r[k]) AS detail ORDER BY detail } AS details
RETURN a.id AS from, a.name AS from_name, head(labels(a)) AS from_label, type(r) AS type,
       b.id AS to, b.name AS to_name, head(labels(b)) AS to_label,
       r.status AS status, r.since AS since, r.until AS until, details,
       [i IN range(0, size(r.sources) - 1) WHERE r.sources[i] = s.id | r.quotes[i]][0] AS quote, path
ORDER BY from, type, to, details
LIMIT toInteger($limit)
