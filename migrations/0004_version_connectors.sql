-- The services each version's code imports (kiln/<id>), as a JSON array of
-- connector ids, e.g. ["airtable","stripe"]. The build derives it from the
-- imports, so it cannot be forgotten or faked; the egress proxy lets a
-- version reach only these. Versions built before connectors existed used none.
ALTER TABLE versions ADD COLUMN connectors_json TEXT NOT NULL DEFAULT '[]';
