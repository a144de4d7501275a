// Everything article X says: which facts cite it, with the sentence it gives for each?
// name: article-facts
// param: source string example=moskvich-jac-kamaz The article's source id (`motorgraph articles` lists them); an unknown id gives no rows
// param: limit integer default=25 range=1..100000 At most this many facts: one page (by from, type, to, details)
// param: after cursor The page after this cursor (the last row's sort key, printed under a full page); the first page without it
// returns: from (id of the start entity), from_name (its name), from_label (its label), type (the relationship type),
// returns: to (id of the end entity), to_name (its name), to_label (its label),
// returns: status (the fact's status; null if not stated), since (since when; null if not stated), until (until when; null if not stated),
// returns: details (the fact's other properties as "key: value", sorted by key: on, goods, mode, role, reported_on...),
// returns: quote (the sentence THIS article gives for the fact; other articles citing it are not shown),
// returns: cursor (cursor: the row's sort key, [from, type, to, details]),
// returns: path (graph: the two entities and the relationship)
// The facts citing the article come from the full-text index fact_sources (each fact's `sources`,
// every id one term), found by the quoted, escaped id; they are sorted for each page.
MATCH (s:Source {id: $source})
CALL db.index.fulltext.queryRelationships('fact_sources', '"' + replace(replace(s.id, '\\', '\\\\'), '"', '\\"') + '"')
  YIELD relationship AS r
WITH s, r WHERE s.id IN r.sources
MATCH path = (a)-[r]->(b)
WITH s, a, r, b, path,
     COLLECT { UNWIND keys(r) AS k
               WITH k WHERE NOT k IN ['sources', 'quotes', 'claims', 'markets', 'status', 'since', 'until']
               RETURN k + ': ' + toString(r[k]) AS detail ORDER BY detail } AS details
WITH s, a, r, b, path, details WHERE $after IS NULL OR [a.id, type(r), b.id, details] > $after
RETURN a.id AS from, a.name AS from_name, head(labels(a)) AS from_label, type(r) AS type,
       b.id AS to, b.name AS to_name, head(labels(b)) AS to_label,
       r.status AS status, r.since AS since, r.until AS until, details,
       [i IN range(0, size(r.sources) - 1) WHERE r.sources[i] = s.id | r.quotes[i]][0] AS quote,
       [a.id, type(r), b.id, details] AS cursor, path
ORDER BY from, type, to, details
LIMIT toInteger($limit)
