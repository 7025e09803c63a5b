import type { AppDataStore } from "../data/app-data-store";
import type { FileBucket } from "./file-bucket";

/**
 * What a Worker gives the files gateway: where bytes are stored, the database that indexes a scope's files (by its
 * Durable Object name, in the same process as the app) and the key that signs links. The runner and the control
 * plane each build one from their own bindings (runner/files-gateway.ts, control-plane/files-gateway.ts).
 */
export interface FilesBackend {
  bucket: FileBucket;
  index(databaseName: string): DurableObjectStub<AppDataStore>;
  linkKey(): Promise<CryptoKey>;
}

/**
 * How long an isolate keeps the link key. Bounded rather than checked against KILN_MASTER_KEY_PREVIOUS too: after a
 * master-key rotation (docs/vault.md) every isolate signs and verifies with the new key within this time, with no
 * restart, while links signed under the old key stop working, as a rotation (often for a leaked key) should want;
 * PREVIOUS is only set for the minutes a rotation runs, so honouring it would not have kept those links alive anyway.
 */
export const LINK_KEY_TTL_MS = 10 * 60 * 1000;

/** Keeps one imported key per isolate for `ttlMs`: a failure is not kept, so an operator's fix needs no restart. */
export function cachedKey(
  load: () => Promise<CryptoKey>,
  ttlMs = LINK_KEY_TTL_MS,
  now: () => number = Date.now,
): () => Promise<CryptoKey> {
  let key: Promise<CryptoKey> | null = null;
  let loadedAt = 0;
  return () => {
    if (!key || now() - loadedAt >= ttlMs) {
      const loading = load();
      key = loading;
      loadedAt = now();
      loading.catch(() => {
        if (key === loading) key = null;
      });
    }
    return key;
  };
}
