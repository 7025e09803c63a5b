// Envelope encryption of one secret: AES-256-GCM under a fresh data key, the
// data key wrapped (AES-KW, RFC 3394) by the master key. The owner and the
// record the secret belongs to are bound in as additional authenticated data,
// so a ciphertext copied to another row or owner does not decrypt.
import { base64ToBytes, bytesToBase64 } from "./base64.ts";
import { type Keyring, type MasterKey, masterKeyFor } from "./master-key.ts";
import { VaultError } from "./vault-error.ts";

/** Format tag stored with every secret, so a later scheme can coexist. */
export const VAULT_SCHEME = "a256gcm+a256kw/v1";

/** Who a secret belongs to; both ids are authenticated, neither is secret. */
export interface SecretBinding {
  ownerId: string;
  /** The row the secret belongs to (a connection id, an OAuth flow id). */
  recordId: string;
}

/** A data key wrapped by a master key, and that master key's fingerprint. */
export interface WrappedDataKey {
  wrappedKey: string;
  keyId: string;
}

/** What the vault stores for one secret (all base64 or ids; nothing here reveals the secret). */
export interface SealedSecret extends WrappedDataKey {
  scheme: string;
  ciphertext: string;
  iv: string;
}

const IV_BYTES = 12;

function additionalData(binding: SecretBinding): Uint8Array<ArrayBuffer> {
  // JSON keeps the two ids unambiguous whatever characters they hold.
  return new Uint8Array(new TextEncoder().encode(JSON.stringify(["kiln-vault/v1", binding.ownerId, binding.recordId])));
}

/** Encrypts `plaintext` under a new data key wrapped by the keyring's current master key. */
export async function sealSecret(keyring: Keyring, plaintext: string, binding: SecretBinding): Promise<SealedSecret> {
  const dataKey = (await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, [
    "encrypt",
    "decrypt",
  ])) as CryptoKey;
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: additionalData(binding) },
    dataKey,
    new TextEncoder().encode(plaintext),
  );
  const wrapped = await crypto.subtle.wrapKey("raw", dataKey, keyring.current.key, { name: "AES-KW" });
  return {
    scheme: VAULT_SCHEME,
    ciphertext: bytesToBase64(new Uint8Array(ciphertext)),
    iv: bytesToBase64(iv),
    wrappedKey: bytesToBase64(new Uint8Array(wrapped)),
    keyId: keyring.current.id,
  };
}

/** Decrypts a sealed secret; any mismatch (key, owner, record, tampering) throws a VaultError. */
export async function openSecret(keyring: Keyring, sealed: SealedSecret, binding: SecretBinding): Promise<string> {
  if (sealed.scheme !== VAULT_SCHEME) {
    throw new VaultError(
      "decrypt_failed",
      `The stored credential of ${binding.recordId} uses an unknown vault scheme (${sealed.scheme}).`,
    );
  }
  const dataKey = await unwrapDataKey(sealed, masterKeyFor(keyring, sealed.keyId), false);
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: base64ToBytes(sealed.iv), additionalData: additionalData(binding) },
      dataKey,
      base64ToBytes(sealed.ciphertext),
    );
    return new TextDecoder().decode(plaintext);
  } catch {
    throw new VaultError(
      "decrypt_failed",
      `The stored credential of ${binding.recordId} cannot be decrypted: it was altered, or copied from another record or owner ` +
        "(each credential is bound to its owner and record).",
    );
  }
}

/**
 * Wraps an existing data key under `to` without touching the ciphertext it
 * protects: rotation never decrypts a secret. Already under `to`: unchanged.
 */
export async function rewrapDataKey(
  wrapped: WrappedDataKey,
  from: readonly MasterKey[],
  to: MasterKey,
): Promise<WrappedDataKey> {
  if (wrapped.keyId === to.id) return wrapped;
  const master = from.find((key) => key.id === wrapped.keyId);
  if (!master) {
    throw new VaultError(
      "master_key_unknown",
      `A data key is wrapped under master key ${wrapped.keyId}, which is neither the old key (${from.map((key) => key.id).join(", ")}) nor the new one (${to.id}).`,
    );
  }
  const dataKey = await unwrapDataKey(wrapped, master, true);
  const rewrapped = await crypto.subtle.wrapKey("raw", dataKey, to.key, { name: "AES-KW" });
  return { wrappedKey: bytesToBase64(new Uint8Array(rewrapped)), keyId: to.id };
}

async function unwrapDataKey(wrapped: WrappedDataKey, master: MasterKey, extractable: boolean): Promise<CryptoKey> {
  try {
    return await crypto.subtle.unwrapKey(
      "raw",
      base64ToBytes(wrapped.wrappedKey),
      master.key,
      { name: "AES-KW" },
      { name: "AES-GCM" },
      extractable,
      ["encrypt", "decrypt"],
    );
  } catch {
    // AES-KW checks its integrity value, so a different key with the same id (or an altered wrap) lands here.
    throw new VaultError(
      "unwrap_failed",
      `A data key recorded as wrapped under master key ${wrapped.keyId} does not unwrap with the configured key of that id: ` +
        "the stored key or the master key was altered.",
    );
  }
}
