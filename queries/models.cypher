// Which models does a brand, company or plant make, with segment, powertrain and EV range?
// name: models
// param: maker string example=JAC lookup=Company|Brand|Plant The brand, company or plant: id, name or alias, any case
// param: limit integer default=25 range=1..1000 At most this many rows (by model id)
// returns: model (id), name (name), body (crossover, van...), vehicle_class (passenger car, pickup...), segment (if stated),
// returns: powertrain (combustion, electric, hybrid, unspecified; null if not stated), ev_range_km (electric range),
// returns: relation (makes: in its range; produces: builds it; via brand X: made by a brand of the company),
// returns: role (the maker's part, e.g. partner alongside another), status (of making or producing it),
// returns: sources (ids of the articles), quotes (the supporting sentences),
// returns: path (graph: the maker and the model)
CALL db.index.fulltext.queryNodes('entity_key', '"' + replace(replace(toLower($maker), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS x
WHERE (x:Company OR x:Brand OR x:Plant)
CALL {
  WITH x
  MATCH path = (x)-[r:MAKES|PRODUCES]->(m:VehicleModel)
  RETURN path, r, m, toLower(type(r)) AS relation
  UNION ALL
  // A company's current brands (not brands it no longer owns).
  WITH x
  MATCH path = (x)<-[bo:BRAND_OF]-(br:Brand)-[r:MAKES|PRODUCES]->(m:VehicleModel)
  WHERE x:Company AND coalesce(bo.status, '') <> 'ended'
  RETURN path, r, m, 'via brand ' + br.name AS relation
}
RETURN m.id AS model, m.name AS name, m.body AS body, m.vehicle_class AS vehicle_class, m.segment AS segment,
       m.powertrain AS powertrain, m.ev_range_km AS ev_range_km, relation, r.role AS role, r.status AS status,
       r.sources AS sources, r.quotes AS quotes, path
ORDER BY model, relation
LIMIT toInteger($limit)
