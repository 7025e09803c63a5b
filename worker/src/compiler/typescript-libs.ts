import { typescriptLibTarballBase64 } from "../../generated/seed.js";

/** The tarball `createTypescriptLanguageService` downloads for TypeScript's `lib.*.d.ts` (any version). */
const TYPESCRIPT_TARBALL = /^https:\/\/registry\.npmjs\.org\/typescript\/-\/typescript-\d[^/]*\.tgz$/;
const NPM_REGISTRY_HOST = "registry.npmjs.org";
let tarball: Uint8Array<ArrayBuffer> | undefined;
let installed: typeof fetch | undefined;

/** Bytes of the embedded `package/lib/lib.*.d.ts` archive (gzipped tar), decoded once. */
export function typescriptLibTarball(): Uint8Array<ArrayBuffer> {
  if (tarball === undefined) {
    const binary = atob(typescriptLibTarballBase64);
    tarball = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) tarball[i] = binary.charCodeAt(i);
  }
  return tarball;
}

/** Thrown for any npm registry request: Kiln builds must never download packages. */
export class RegistryFetchRefusedError extends Error {
  override readonly name = "RegistryFetchRefusedError";
  constructor(readonly url: string) {
    super(`Kiln builds never use the network; refused ${url}`);
  }
}

/**
 * Makes sure `globalThis.fetch` is Kiln's narrow wrapper: it answers
 * TypeScript's lib tarball from the embedded copy, refuses every other npm
 * registry URL, and passes all other requests through unchanged. Idempotent;
 * re-installs on top if something replaced `fetch` since (a restored test spy).
 */
export function installTypescriptLibFetch(): void {
  if (installed !== undefined && globalThis.fetch === installed) return;
  const passThrough = globalThis.fetch;
  // createTypescriptLanguageService always fetches TypeScript's npm tarball for its lib files: serve it offline.
  installed = globalThis.fetch = function kilnBuildFetch(
    input: RequestInfo | URL,
    init?: RequestInit,
  ): Promise<Response> {
    const url = input instanceof Request ? input.url : input instanceof URL ? input.href : String(input);
    if (TYPESCRIPT_TARBALL.test(url)) {
      return Promise.resolve(
        new Response(typescriptLibTarball().slice(), { headers: { "content-type": "application/octet-stream" } }),
      );
    }
    if (isRegistryUrl(url)) return Promise.reject(new RegistryFetchRefusedError(url));
    return passThrough.call(globalThis, input, init);
  };
}

function isRegistryUrl(url: string): boolean {
  try {
    return new URL(url).hostname === NPM_REGISTRY_HOST;
  } catch {
    return false;
  }
}
