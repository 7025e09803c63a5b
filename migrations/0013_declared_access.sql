-- What a version's code declares about who may use it (worker/src/versions/declared-access.ts):
-- `export const roles` (the roles the owner can give invited visitors) and
-- `export const access` (the live app's rule until the owner picks one).
ALTER TABLE versions ADD COLUMN roles_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE versions ADD COLUMN access_json TEXT;

-- Who chose an environment's rule: 'owner' (the Access tab, never overridden by
-- code) or 'app' (the published version's `access`, replaced by the next one).
ALTER TABLE app_access ADD COLUMN set_by TEXT NOT NULL DEFAULT 'owner' CHECK (set_by IN ('owner', 'app'));
