import type { Env } from "../core/env";
import { type Keyring, loadKeyring } from "./master-key.ts";

let cached: { current: string | undefined; previous: string | undefined; keyring: Promise<Keyring> } | null = null;

/**
 * The Worker's keyring from KILN_MASTER_KEY (and KILN_MASTER_KEY_PREVIOUS
 * during a rotation). Throws a VaultError when the key is missing or malformed.
 */
export function keyringFromEnv(env: Pick<Env, "KILN_MASTER_KEY" | "KILN_MASTER_KEY_PREVIOUS">): Promise<Keyring> {
  const current = env.KILN_MASTER_KEY;
  const previous = env.KILN_MASTER_KEY_PREVIOUS;
  if (cached && cached.current === current && cached.previous === previous) return cached.keyring;
  const keyring = loadKeyring({ current, previous });
  // A failure is not cached: the operator may fix the secret without a restart of this isolate.
  keyring.catch(() => {
    if (cached?.keyring === keyring) cached = null;
  });
  cached = { current, previous, keyring };
  return keyring;
}
