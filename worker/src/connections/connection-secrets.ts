// All vault access of the connections code: seals and opens credentials under
// the connection's id, and turns vault failures into one loud 503 whose cause
// (which key, which variable) is logged for the operator.
import type { Env } from "../core/env";
import { ApiError } from "../core/errors";
import { keyringFromEnv } from "../vault/env-keyring";
import type { Keyring } from "../vault/master-key";
import { VaultError } from "../vault/vault-error";
import { type StoreCondition, deleteSecretStatement, readSecret, storeSecretStatement } from "../vault/vault-store";
import type { ConnectionRecord } from "./connection-repository";
import { type StoredCredential, parseStoredCredential } from "./stored-credential";

/** The vault cannot seal or open credentials (missing/wrong master key, damaged entry). */
export class VaultUnavailableError extends ApiError {
  readonly kind: VaultError["kind"];
  constructor(cause: VaultError) {
    super(503, "internal", `Kiln cannot use its credential vault. ${cause.message}`, { reason: "vault_unavailable" });
    this.kind = cause.kind;
  }
}

/** Runs vault work, turning a VaultError into a logged VaultUnavailableError. */
export async function guardVault<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof VaultError)) throw error;
    // Operator-facing and secret-free by construction (VaultError messages name keys by id only).
    console.error(`[vault] ${error.kind}: ${error.message}`);
    throw new VaultUnavailableError(error);
  }
}

/** The Worker's keyring, or a VaultUnavailableError. */
export function connectionKeyring(env: Env): Promise<Keyring> {
  return guardVault(() => keyringFromEnv(env));
}

/** Seals a connection's credential; the statement is batched with the connection row. */
export function storeCredentialStatement(
  env: Env,
  keyring: Keyring,
  ownerId: string,
  connectionId: string,
  credential: StoredCredential,
  onlyIf?: StoreCondition,
): Promise<D1PreparedStatement> {
  return guardVault(() =>
    storeSecretStatement(env.DB, keyring, { ownerId, recordId: connectionId }, JSON.stringify(credential), onlyIf),
  );
}

/** Opens a connection's credential (owner and id are bound into its ciphertext). */
export async function readCredential(env: Env, connection: ConnectionRecord): Promise<StoredCredential> {
  const keyring = await connectionKeyring(env);
  const text = await guardVault(() =>
    readSecret(env.DB, keyring, { ownerId: connection.ownerId, recordId: connection.id }),
  );
  return parseStoredCredential(text, connection.id);
}

/** Deletes a connection's vault entry (batched with the row). */
export function deleteCredentialStatement(env: Env, connectionId: string): D1PreparedStatement {
  return deleteSecretStatement(env.DB, connectionId);
}
