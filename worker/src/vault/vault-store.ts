// Sealed secrets in D1 (`vault_secrets`), one per record that owns a secret.
import { nowIso } from "../core/ids.ts";
import { type SealedSecret, type SecretBinding, openSecret, sealSecret } from "./envelope.ts";
import type { Keyring } from "./master-key.ts";
import { VaultError } from "./vault-error.ts";

/** An SQL condition (with its bindings) that must hold for a store to happen, e.g. an unchanged version. */
export interface StoreCondition {
  sql: string;
  bindings: readonly unknown[];
}

/**
 * Seals `plaintext` for its record and returns the statement that stores it,
 * so the caller can batch it with the row it belongs to (both or neither).
 * With `onlyIf`, nothing is stored unless the condition holds.
 */
export async function storeSecretStatement(
  db: D1Database,
  keyring: Keyring,
  binding: SecretBinding,
  plaintext: string,
  onlyIf: StoreCondition = { sql: "1", bindings: [] },
): Promise<D1PreparedStatement> {
  const sealed = await sealSecret(keyring, plaintext, binding);
  const now = nowIso();
  // INSERT … SELECT … WHERE lets the condition gate both the insert and the update.
  return db
    .prepare(
      `INSERT INTO vault_secrets (record_id, owner_id, scheme, ciphertext, iv, wrapped_key, key_id, created_at, updated_at)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ${onlyIf.sql}
       ON CONFLICT(record_id) DO UPDATE SET scheme = excluded.scheme, ciphertext = excluded.ciphertext, iv = excluded.iv,
         wrapped_key = excluded.wrapped_key, key_id = excluded.key_id, updated_at = excluded.updated_at
       WHERE vault_secrets.owner_id = excluded.owner_id`,
    )
    .bind(
      binding.recordId,
      binding.ownerId,
      sealed.scheme,
      sealed.ciphertext,
      sealed.iv,
      sealed.wrappedKey,
      sealed.keyId,
      now,
      now,
      ...onlyIf.bindings,
    );
}

/** Opens the secret of a record; a missing or undecryptable one throws a VaultError, never returns empty. */
export async function readSecret(db: D1Database, keyring: Keyring, binding: SecretBinding): Promise<string> {
  const sealed = await db
    .prepare(
      "SELECT scheme, ciphertext, iv, wrapped_key AS wrappedKey, key_id AS keyId FROM vault_secrets WHERE record_id = ?",
    )
    .bind(binding.recordId)
    .first<SealedSecret>();
  if (!sealed)
    throw new VaultError("secret_missing", `The stored credential of ${binding.recordId} is missing from the vault.`);
  // The binding comes from the caller, not the row: an owner id edited in the row changes nothing.
  return openSecret(keyring, sealed, binding);
}

/** The statement that deletes a record's secret. */
export function deleteSecretStatement(db: D1Database, recordId: string): D1PreparedStatement {
  return db.prepare("DELETE FROM vault_secrets WHERE record_id = ?").bind(recordId);
}
