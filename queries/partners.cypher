// Who are a company's partners, on what, with what status and since when?
// name: partners
// param: company string example=KAMAZ lookup=Company|Brand|Country|Region The company (or brand, country, region): id, name or alias, any case
// param: limit integer default=25 range=1..1000 At most this many partnerships (by partner id)
// returns: partner (id), partner_name (name), partner_label (Company, Brand, Country or Region),
// returns: on (what the partnership makes or covers), status (announced, planned, negotiating, pending approval, active, ended; null if not stated),
// returns: since (date or null), until (date or null), sources (ids of the articles), quotes (the supporting sentences),
// returns: path (graph: the company, the partnership and the partner)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($company), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS c
WHERE (c:Company OR c:Brand OR c:Country OR c:Region)
MATCH path = (c)-[r:PARTNERS_WITH]-(p)
RETURN p.id AS partner, p.name AS partner_name, head(labels(p)) AS partner_label, r.on AS on,
       r.status AS status, r.since AS since, r.until AS until, r.sources AS sources, r.quotes AS quotes,
       path
ORDER BY partner, on
LIMIT toInteger($limit)
