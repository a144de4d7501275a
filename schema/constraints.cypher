// Constraints and indexes of the motorgraph model.
// Generated from schema/model.yaml by `motorgraph schema docs`; do not edit by hand.
// Applying it twice is a no-op (IF NOT EXISTS): `motorgraph schema apply`.

CREATE CONSTRAINT company_id IF NOT EXISTS FOR (n:Company) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT brand_id IF NOT EXISTS FOR (n:Brand) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT vehicle_model_id IF NOT EXISTS FOR (n:VehicleModel) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT plant_id IF NOT EXISTS FOR (n:Plant) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT country_id IF NOT EXISTS FOR (n:Country) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT region_id IF NOT EXISTS FOR (n:Region) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT city_id IF NOT EXISTS FOR (n:City) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT agreement_id IF NOT EXISTS FOR (n:Agreement) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT source_id IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE;
CREATE FULLTEXT INDEX entity_lookup IF NOT EXISTS FOR (n:Company|Brand|VehicleModel|Plant|Country|Region|City|Person|Agreement) ON EACH [n.id, n.name, n.aliases] OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words'}};
CREATE FULLTEXT INDEX entity_key IF NOT EXISTS FOR (n:Company|Brand|VehicleModel|Plant|Country|Region|City|Person|Agreement) ON EACH [n.keys] OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}};
CREATE FULLTEXT INDEX fact_sources IF NOT EXISTS FOR ()-[r:OWNS|OPERATES|LOCATED_IN|PRODUCES|MAKES|BRAND_OF|PARTNERS_WITH|SUPPLIES|SHIPS_TO|ASSEMBLES_FOR|ACQUIRED|COMPETES_WITH|REPLACES|PARTY_TO|COVERS|TARGETS_MARKET|REPRESENTS|VISITED|INTERVIEWED_BY|REPORTED_BY]-() ON EACH [r.sources] OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}};
CREATE FULLTEXT INDEX assembly_markets IF NOT EXISTS FOR ()-[r:ASSEMBLES_FOR]-() ON EACH [r.markets] OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}};
CREATE INDEX company_kind IF NOT EXISTS FOR (n:Company) ON (n.kind);
CREATE INDEX company_founded IF NOT EXISTS FOR (n:Company) ON (n.founded);
CREATE INDEX vehicle_model_ev_range_km IF NOT EXISTS FOR (n:VehicleModel) ON (n.ev_range_km);
CREATE INDEX plant_capacity_per_year IF NOT EXISTS FOR (n:Plant) ON (n.capacity_per_year);
CREATE INDEX plant_status IF NOT EXISTS FOR (n:Plant) ON (n.status);
CREATE INDEX region_kind IF NOT EXISTS FOR (n:Region) ON (n.kind);
CREATE INDEX agreement_kind IF NOT EXISTS FOR (n:Agreement) ON (n.kind);
CREATE INDEX company_relationship_count IF NOT EXISTS FOR (n:Company) ON (n.relationship_count);
CREATE INDEX country_relationship_count IF NOT EXISTS FOR (n:Country) ON (n.relationship_count);
CREATE INDEX region_relationship_count IF NOT EXISTS FOR (n:Region) ON (n.relationship_count);
