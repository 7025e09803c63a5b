// The master key wraps every data key; it lives only in a Worker secret
// (KILN_MASTER_KEY) and, during a rotation, KILN_MASTER_KEY_PREVIOUS.
// Imports carry explicit .ts extensions so the Node rotation script can load this file.
import { toHex } from "../core/ids.ts";
import { base64ToBytes, bytesToBase64 } from "./base64.ts";
import { VaultError } from "./vault-error.ts";

/** Length of a master key: AES-256. */
export const MASTER_KEY_BYTES = 32;

/** A master key ready to wrap and unwrap data keys, with its public fingerprint. */
export interface MasterKey {
  /** `mk_` + 16 hex digits of a hash of the key: safe to store and print, names the key without revealing it. */
  id: string;
  key: CryptoKey;
}

/** The keys a Worker accepts: it wraps with `current`, and opens with either during a rotation. */
export interface Keyring {
  current: MasterKey;
  previous: MasterKey | null;
}

/** The raw variable values a keyring is built from (unset or empty: not given). */
export interface MasterKeyValues {
  current?: string;
  previous?: string;
}

/** A fresh random master key, as the base64 text stored in the secret. */
export function generateMasterKeyText(): string {
  return bytesToBase64(crypto.getRandomValues(new Uint8Array(MASTER_KEY_BYTES)));
}

/** The fingerprint of a master key (a hash with a fixed label, so it matches no other use of the key). */
export async function masterKeyId(raw: Uint8Array<ArrayBuffer>): Promise<string> {
  const label = new TextEncoder().encode("kiln-vault master key id\0");
  const input = new Uint8Array(label.length + raw.length);
  input.set(label);
  input.set(raw, label.length);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", input));
  return `mk_${toHex(digest.subarray(0, 8))}`;
}

/** Imports the base64 text of a master key; a malformed value fails naming the variable, never echoing it. */
export async function importMasterKey(text: string, variable: string): Promise<MasterKey> {
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = base64ToBytes(text);
  } catch {
    raw = new Uint8Array(0);
  }
  if (raw.length !== MASTER_KEY_BYTES) {
    throw new VaultError(
      "master_key_invalid",
      `${variable} is not a valid master key: it must be ${MASTER_KEY_BYTES} random bytes in base64 (44 characters). ` +
        "Generate one with `npm run vault:rotate -- --print-new-key` (see docs/vault.md).",
    );
  }
  const key = await crypto.subtle.importKey("raw", raw, { name: "AES-KW" }, false, ["wrapKey", "unwrapKey"]);
  return { id: await masterKeyId(raw), key };
}

/** Builds the keyring from the variables; no current key is a loud error, not an empty vault. */
export async function loadKeyring(values: MasterKeyValues): Promise<Keyring> {
  if (!values.current?.trim()) {
    throw new VaultError(
      "master_key_missing",
      "KILN_MASTER_KEY is not set, so Kiln cannot store or read connected credentials. " +
        "Locally `npm start` writes one to .dev.vars; on Cloudflare run `wrangler secret put KILN_MASTER_KEY` (see docs/vault.md).",
    );
  }
  const current = await importMasterKey(values.current, "KILN_MASTER_KEY");
  const previous = values.previous?.trim() ? await importMasterKey(values.previous, "KILN_MASTER_KEY_PREVIOUS") : null;
  return { current, previous: previous && previous.id !== current.id ? previous : null };
}

/** The key of the keyring with this fingerprint; a stranger fails with what the operator must set. */
export function masterKeyFor(keyring: Keyring, keyId: string): MasterKey {
  if (keyring.current.id === keyId) return keyring.current;
  if (keyring.previous?.id === keyId) return keyring.previous;
  const known = keyring.previous
    ? `${keyring.current.id} (KILN_MASTER_KEY) and ${keyring.previous.id} (KILN_MASTER_KEY_PREVIOUS)`
    : `${keyring.current.id} (KILN_MASTER_KEY)`;
  throw new VaultError(
    "master_key_unknown",
    `A stored credential was sealed under master key ${keyId}, but this Worker only has ${known}. ` +
      "Set KILN_MASTER_KEY (or KILN_MASTER_KEY_PREVIOUS while rotating) to the key with that id, or finish the rotation (docs/vault.md).",
  );
}
