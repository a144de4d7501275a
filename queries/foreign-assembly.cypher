// Which foreign brands reach a market through local assembly, and who assembles them?
// name: foreign-assembly
// param: market string example=Russia lookup=Country|Region The market (a country or region): id, name or alias
// param: limit integer default=25 range=1..1000 At most this many rows (by brand, then assembler)
// returns: brand (id of the brand or maker assembled), brand_name (name), brand_label (Brand or Company),
// returns: home_country (the brand's home country: its own LOCATED_IN, else its owner's; null if the articles give none),
// returns: assembler (id of the local assembler: a company, or a plant), assembler_name (name),
// returns: plants (names of the assembler's plants in the market, or the plant itself),
// returns: kits (what is imported, as the article says), status (of the assembly; ended reads ended), since, until,
// returns: sources (ids of the articles), quotes (the supporting sentences),
// returns: path (graph: the assembler and the brand)
// A brand is foreign when its home country is not the market and does not lie in it; a brand
// whose home the articles do not give is listed, with home_country null. The assembler is in
// the market when it, or a plant it operates or owns, lies in it (up to three LOCATED_IN hops).
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($market), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS m
WHERE (m:Country OR m:Region)
// The market's assemblies come from the full-text index of the markets each ASSEMBLES_FOR
// keeps (docs/model.md, "Derived markets": where its assembler or the assembler's plants lie).
// They are sorted first, so the foreign check and the plants are read only for the page. The
// keyword analyzer keeps each id whole and the quoted, escaped id is one exact term.
CALL db.index.fulltext.queryRelationships('assembly_markets', '"' + replace(replace(m.id, '\\', '\\\\'), '"', '\\"') + '"')
  YIELD relationship AS f
MATCH path = (a)-[f]->(b)
WITH m, a, f, b, path ORDER BY b.id, a.id
WITH m, a, f, b, path,
     coalesce(head([(b)-[:LOCATED_IN]->(k:Country) | k]),
              head([(b)-[:BRAND_OF]->(:Company)-[:LOCATED_IN]->(k:Country) | k])) AS home
WHERE home IS NULL OR (home <> m AND NOT EXISTS { (home)-[:LOCATED_IN]->{1,2}(m) })
WITH m, a, f, b, path, home LIMIT toInteger($limit)
WITH m, a, f, b, path, home,
     CASE WHEN a:Plant THEN [a] ELSE [(a)-[:OPERATES|OWNS]->(p:Plant) | p] END AS own_plants
WITH m, a, f, b, path, home, [p IN own_plants WHERE EXISTS { (p)-[:LOCATED_IN]->{1,3}(m) }] AS plants
RETURN b.id AS brand, b.name AS brand_name, head(labels(b)) AS brand_label, home.name AS home_country,
       a.id AS assembler, a.name AS assembler_name, [p IN plants | p.name] AS plants,
       f.kits AS kits, f.status AS status, f.since AS since, f.until AS until,
       f.sources AS sources, f.quotes AS quotes, path
ORDER BY brand, assembler
