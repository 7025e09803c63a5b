import type { AppBundle } from "../compiler";

// A version's bundle in R2: written once when the version is saved (versions/version-store.ts), read by whichever
// process starts the version's isolate (this one in the test pool, the runner through RunnerCapabilities).

/** The R2 key of a version's bundle. */
export function bundleKey(appId: string, version: string): string {
  return `apps/${appId}/bundles/${version}.json`;
}

/** The bundle the runner loads for a version, or null when it is missing from R2. */
export async function loadBundle(bucket: R2Bucket, appId: string, version: string): Promise<AppBundle | null> {
  const object = await bucket.get(bundleKey(appId, version));
  return object ? ((await object.json()) as AppBundle) : null;
}
