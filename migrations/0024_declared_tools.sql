-- The tools a version's code exports (`export const tools`, worker/src/versions/declared-tools.ts), as a JSON array
-- of their names. The routing table carries whether the served version has any, so `<app host>/mcp` is Kiln's only
-- for such versions and stays the app's own path otherwise. Versions built before this column declared none.
ALTER TABLE versions ADD COLUMN tools_json TEXT NOT NULL DEFAULT '[]';
