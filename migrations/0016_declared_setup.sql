-- What a version's code asks its owner for (`export const setup`, worker/src/versions/declared-setup.ts): config
-- values and resources in connected services. Publishing waits until the required ones are in the app's config.
ALTER TABLE versions ADD COLUMN setup_json TEXT NOT NULL DEFAULT '[]';
