import { typescriptLibTarballBase64 } from "../../generated/seed.js";

/** The tarball `createTypescriptLanguageService` downloads for TypeScript's `lib.*.d.ts` (any version). */
const TYPESCRIPT_TARBALL = /^https:\/\/registry\.npmjs\.org\/typescript\/-\/typescript-\d[^/]*\.tgz$/;
const NPM_REGISTRY_HOST = "registry.npmjs.org";
const INSTALLED = Symbol.for("kiln.build.typescriptLibFetch");

let tarball: Uint8Array<ArrayBuffer> | undefined;

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
 * Installs (once per isolate) a narrow wrapper around `globalThis.fetch` that
 * answers TypeScript's lib tarball from the embedded copy, refuses every other
 * npm registry URL, and passes all other requests through unchanged.
 */
export function installTypescriptLibFetch(): void {
  if (Reflect.get(globalThis, INSTALLED) === true) return;
  const passThrough = globalThis.fetch;
  // createTypescriptLanguageService always fetches TypeScript's npm tarball for its lib files: serve it offline.
  globalThis.fetch = function kilnBuildFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const url = input instanceof Request ? input.url : input instanceof URL ? input.href : String(input);
    if (TYPESCRIPT_TARBALL.test(url)) {
      return Promise.resolve(
        new Response(typescriptLibTarball().slice(), { headers: { "content-type": "application/octet-stream" } }),
      );
    }
    if (isRegistryUrl(url)) return Promise.reject(new RegistryFetchRefusedError(url));
    return passThrough.call(globalThis, input, init);
  };
  Reflect.set(globalThis, INSTALLED, true);
}

function isRegistryUrl(url: string): boolean {
  try {
    return new URL(url).hostname === NPM_REGISTRY_HOST;
  } catch {
    return false;
  }
}
