// Master-key rotation as SQL: every data key is re-wrapped under the new key;
// ciphertexts are never decrypted or rewritten. Pure (no D1 binding), so the
// Node rotation script runs it through `wrangler d1 execute`, locally or remotely.
import { nowIso } from "../core/ids.ts";
import { type WrappedDataKey, rewrapDataKey } from "./envelope.ts";
import type { MasterKey } from "./master-key.ts";

/** Reads every wrapped data key (and nothing that could reveal a secret). */
export const WRAPPED_KEYS_QUERY =
  "SELECT record_id AS recordId, wrapped_key AS wrappedKey, key_id AS keyId FROM vault_secrets ORDER BY record_id";

/** How many data keys each master key wraps, to verify a rotation finished. */
export const KEY_USAGE_QUERY =
  "SELECT key_id AS keyId, COUNT(*) AS count FROM vault_secrets GROUP BY key_id ORDER BY key_id";

/** One row of WRAPPED_KEYS_QUERY. */
export interface WrappedKeyRow extends WrappedDataKey {
  recordId: string;
}

/** The UPDATE statements of a rotation and what they do. */
export interface RotationPlan {
  statements: string[];
  rewrapped: number;
  alreadyCurrent: number;
}

/**
 * Re-wraps each data key under `to`. Every key is checked before any
 * statement is produced, so an unknown master key stops the whole rotation.
 * Each UPDATE only applies if the row still holds the key it was planned
 * from, so a secret replaced meanwhile is never overwritten with a stale key.
 */
export async function planRotation(
  rows: readonly WrappedKeyRow[],
  from: readonly MasterKey[],
  to: MasterKey,
): Promise<RotationPlan> {
  const now = nowIso();
  const statements: string[] = [];
  let alreadyCurrent = 0;
  for (const row of rows) {
    if (row.keyId === to.id) {
      alreadyCurrent++;
      continue;
    }
    const next = await rewrapDataKey(row, from, to);
    statements.push(
      `UPDATE vault_secrets SET wrapped_key = ${literal(next.wrappedKey)}, key_id = ${literal(next.keyId)}, updated_at = ${literal(now)} ` +
        `WHERE record_id = ${literal(row.recordId)} AND key_id = ${literal(row.keyId)} AND wrapped_key = ${literal(row.wrappedKey)};`,
    );
  }
  return { statements, rewrapped: statements.length, alreadyCurrent };
}

// Values here are base64, key ids, record ids and timestamps; anything else is refused rather than escaped.
function literal(value: string): string {
  if (!/^[A-Za-z0-9+/=_:.-]+$/.test(value))
    throw new Error(`refusing to put an unexpected value into rotation SQL: ${JSON.stringify(value.slice(0, 40))}`);
  return `'${value}'`;
}
