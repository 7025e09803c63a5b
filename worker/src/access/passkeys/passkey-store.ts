// Visitors' passkeys and the challenges of their ceremonies, in D1 (migration 0015). Plain data in and out: the
// checks live in webauthn.ts, the pages in passkey-pages.ts.
import type { Environment } from "../../core/env";
import { newSecret, nowIso } from "../../core/ids";
import type { StoredKey } from "./webauthn";

/** How long a browser has to answer a challenge. */
export const CHALLENGE_TTL_MS = 5 * 60_000;

/** One environment of one app: passkeys are made for its host, and work only there. */
export interface PasskeyPlace {
  appId: string;
  environment: Environment;
}

/** A stored passkey, as a sign-in checks it and the passkeys page lists it. */
export interface Passkey extends StoredKey {
  credentialId: string;
  email: string;
  signCount: number;
  createdAt: string;
  lastUsedAt: string | null;
}

/** Issues a challenge for one ceremony; answers its id (kept by the page) and the challenge (signed by the key). */
export async function issueChallenge(
  db: D1Database,
  place: PasskeyPlace,
  purpose: "register" | "sign_in",
  email: string | null,
  now = Date.now(),
): Promise<{ id: string; challenge: string }> {
  const id = `vpc_${newSecret(12)}`;
  const challenge = newSecret(32);
  await db.batch([
    db.prepare("DELETE FROM visitor_passkey_challenges WHERE expires_at < ?").bind(now),
    db
      .prepare(
        "INSERT INTO visitor_passkey_challenges (id, app_id, environment, purpose, email, challenge, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .bind(id, place.appId, place.environment, purpose, email, challenge, now + CHALLENGE_TTL_MS),
  ]);
  return { id, challenge };
}

/** Takes a challenge once (it is deleted); null when unknown, used, lapsed or issued elsewhere or for another purpose. */
export async function takeChallenge(
  db: D1Database,
  place: PasskeyPlace,
  purpose: "register" | "sign_in",
  id: string,
  now = Date.now(),
): Promise<{ challenge: string; email: string | null } | null> {
  const row = await db
    .prepare(
      "DELETE FROM visitor_passkey_challenges WHERE id = ? AND app_id = ? AND environment = ? AND purpose = ? RETURNING challenge, email, expires_at AS expiresAt",
    )
    .bind(id, place.appId, place.environment, purpose)
    .first<{ challenge: string; email: string | null; expiresAt: number }>();
  if (!row || row.expiresAt < now) return null;
  return { challenge: row.challenge, email: row.email };
}

/** Stores a verified new passkey of `email`. */
export async function savePasskey(
  db: D1Database,
  place: PasskeyPlace,
  email: string,
  key: StoredKey & { credentialId: string; signCount: number },
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO visitor_passkeys (credential_id, app_id, environment, email, public_key_json, algorithm, sign_count, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      key.credentialId,
      place.appId,
      place.environment,
      email,
      JSON.stringify(key.jwk),
      key.algorithm,
      key.signCount,
      nowIso(),
    )
    .run();
}

const COLUMNS =
  "credential_id AS credentialId, email, public_key_json AS jwk, algorithm, sign_count AS signCount, created_at AS createdAt, last_used_at AS lastUsedAt";
type Row = Omit<Passkey, "jwk"> & { jwk: string };
const toPasskey = (row: Row): Passkey => ({ ...row, jwk: JSON.parse(row.jwk) as JsonWebKey });

/** The passkey with this credential id made for this place, or null. */
export async function findPasskey(db: D1Database, place: PasskeyPlace, credentialId: string): Promise<Passkey | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM visitor_passkeys WHERE credential_id = ? AND app_id = ? AND environment = ?`)
    .bind(credentialId, place.appId, place.environment)
    .first<Row>();
  return row ? toPasskey(row) : null;
}

/** The passkeys `email` made for this place, oldest first. */
export async function listPasskeys(db: D1Database, place: PasskeyPlace, email: string): Promise<Passkey[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM visitor_passkeys WHERE app_id = ? AND environment = ? AND email = ? ORDER BY created_at`,
    )
    .bind(place.appId, place.environment, email)
    .all<Row>();
  return results.map(toPasskey);
}

/** Records a sign-in with a passkey: its new signature counter and when. */
export async function passkeyUsed(db: D1Database, credentialId: string, signCount: number): Promise<void> {
  await db
    .prepare("UPDATE visitor_passkeys SET sign_count = ?, last_used_at = ? WHERE credential_id = ?")
    .bind(signCount, nowIso(), credentialId)
    .run();
}

/** Removes every passkey `email` made for the app, on both hosts (their invitation was withdrawn). */
export async function deletePasskeysOf(db: D1Database, appId: string, email: string): Promise<void> {
  await db.prepare("DELETE FROM visitor_passkeys WHERE app_id = ? AND email = ?").bind(appId, email).run();
}

/** Removes one of `email`'s passkeys; answers whether there was one. */
export async function deletePasskey(
  db: D1Database,
  place: PasskeyPlace,
  email: string,
  credentialId: string,
): Promise<boolean> {
  const result = await db
    .prepare("DELETE FROM visitor_passkeys WHERE credential_id = ? AND app_id = ? AND environment = ? AND email = ?")
    .bind(credentialId, place.appId, place.environment, email)
    .run();
  return result.meta.changes > 0;
}
