/** What went wrong in the vault; each is an operator problem, never a caller's. */
export type VaultErrorKind =
  | "master_key_missing"
  | "master_key_invalid"
  | "master_key_unknown"
  | "unwrap_failed"
  | "decrypt_failed"
  | "secret_missing";

/**
 * A stored credential cannot be sealed or opened. The message is written for
 * the operator (which variable, which key id, what to do) and never holds a
 * key or a secret, so it may be logged as-is.
 */
export class VaultError extends Error {
  override readonly name = "VaultError";
  readonly kind: VaultErrorKind;
  // No parameter properties: the Node rotation script loads this file with type stripping only.
  constructor(kind: VaultErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}
