import { type ConnectorId, isConnectorId } from "../../../connectors/types";
import { sha256Hex, toHex } from "../core/ids";
import { buildApp } from "./build-app";
import { wrapperModules } from "./entry-wrapper";
import { DEFAULT_CPU_BUDGET_MS } from "./guard-runtime";
import type { AppBundle, BuildOptions, BuildResult, SourceFiles } from "./types";

/**
 * Part of every cache key. Bump it with any change to build code whose effect the automatic
 * fingerprint below cannot see: bundle.ts, loop-guards.ts, import-policy.ts, type-check.ts,
 * source-files.ts, build-app.ts, or an upgrade of @cloudflare/worker-bundler that keeps its esbuild.
 */
export const BUILD_CACHE_VERSION = 1;

/**
 * How long an entry is used and kept: bounds the cache's size and how long a forgotten
 * BUILD_CACHE_VERSION bump or a deleted app's code can linger; an older entry is simply rebuilt.
 */
export const BUILD_CACHE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

// R2, next to the versions' bundles: an entry is bundle-sized (60 KB for a small Hono app, more with zod: big for a D1 row) and read whole by key.
const PREFIX = "build-cache/";
/** Entries each write looks at for stale ones: a sweep costs one list call, and keeps pace with the cache's growth. */
const SWEEP_BATCH = 100;
/** What the wrapper is probed with for the fingerprint: the real entry is a function of the files, already in the key. */
const PROBE_ENTRY = "src/index.ts";

/** What a successful build leaves in the cache: all of BuildResult that the next upload of the same source needs. */
interface CacheEntry {
  bundle: AppBundle;
  connectors: ConnectorId[];
  warnings: string[];
}

/** Injected by tests: the build that runs on a miss, and the clock that decides what is too old. */
export interface BuildCacheDeps {
  build?: typeof buildApp;
  now?: () => number;
}

/**
 * buildApp, but a source this pipeline already built successfully is not type-checked and bundled
 * again (~150-200 ms of CPU). Shared by every app and user: buildApp sees only the files and options,
 * so its output holds nothing of who uploaded them. Failures are never cached: the repair loop needs fresh diagnostics.
 */
export async function cachedBuild(
  bucket: R2Bucket,
  files: SourceFiles,
  options: BuildOptions = {},
  deps: BuildCacheDeps = {},
): Promise<BuildResult> {
  const build = deps.build ?? buildApp;
  const now = deps.now ?? Date.now;
  let key: string | null = null;
  try {
    key = await buildCacheKey(files, options);
    const hit = await readEntry(bucket, key, now());
    if (hit !== null) {
      await options.onStagePassed?.("type-check");
      await options.onStagePassed?.("bundle");
      return { ok: true, ...hit };
    }
  } catch (error) {
    // The cache only saves time: trouble with it (R2 down, an odd upload) must not change what the build says.
    console.warn(`build cache: lookup failed, building: ${describe(error)}`);
  }
  const result = await build(files, options);
  if (result.ok && key !== null) {
    const entry: CacheEntry = { bundle: result.bundle, connectors: result.connectors, warnings: result.warnings };
    try {
      await Promise.all([bucket.put(key, JSON.stringify(entry)), sweepBuildCache(bucket, now())]);
    } catch (error) {
      console.warn(`build cache: storing failed: ${describe(error)}`);
    }
  }
  return result;
}

/**
 * The R2 key of `files` built with `options`: every file (paths and contents, sorted), the options
 * that shape the output, and a fingerprint of the pipeline, so any of them changing misses the cache.
 * The full SHA-256: the cache is shared, so a crafted collision must not hand one user's bundle to another.
 */
export async function buildCacheKey(files: SourceFiles, options: BuildOptions = {}): Promise<string> {
  const cpuBudgetMs = options.cpuBudgetMs ?? DEFAULT_CPU_BUDGET_MS;
  const guards = options.guards !== false;
  const canonical = JSON.stringify({
    pipeline: await pipelineFingerprint(),
    // Covers the wrapper, the attribution module and the guard runtime, as this code would emit them.
    wrapper: wrapperModules(PROBE_ENTRY, guards ? cpuBudgetMs : null),
    options: { cpuBudgetMs, guards },
    files: Object.keys(files)
      .sort()
      .map((path) => [path, files[path]]),
  });
  return `${PREFIX}${await sha256Hex(canonical)}.json`;
}

/**
 * Deletes entries older than BUILD_CACHE_MAX_AGE_MS in one stretch of the cache, from `startAfter`
 * (random by default: keys are uniform hashes, so every entry is as likely to be looked at).
 */
export async function sweepBuildCache(
  bucket: R2Bucket,
  now: number,
  startAfter = `${PREFIX}${toHex(crypto.getRandomValues(new Uint8Array(4)))}`,
): Promise<void> {
  const page = await bucket.list({ prefix: PREFIX, startAfter, limit: SWEEP_BATCH });
  const stale = page.objects.filter((object) => isStale(object.uploaded, now)).map((object) => object.key);
  if (stale.length > 0) await bucket.delete(stale);
}

// What else decides a build's output, hashed once per isolate: the seed (libraries, declarations, their
// versions, TypeScript's), the app tsconfig and esbuild's version. Loaded lazily, as build-app.ts does.
let pipeline: Promise<string> | undefined;

function pipelineFingerprint(): Promise<string> {
  pipeline ??= (async () => {
    const [seed, esbuild, tsconfig] = await Promise.all([
      import("../../generated/seed.js"),
      import("esbuild-wasm/lib/browser.js"),
      import("./app-tsconfig.json"),
    ]);
    const small = [
      BUILD_CACHE_VERSION,
      esbuild.version,
      tsconfig.default,
      seed.seedVersions,
      seed.importableSpecifiers,
      seed.connectorSpecifiers,
      seed.libraryEntries,
    ];
    // The 3 MB of declarations and library code are framed, not JSON-escaped: escaping them cost ~50 ms.
    return sha256Hex(
      framed([JSON.stringify(small), ...sortedTexts(seed.seedFiles), ...sortedTexts(seed.libraryModules)]),
    );
  })();
  pipeline.catch(() => {
    pipeline = undefined;
  });
  return pipeline;
}

/** A record's names and texts in name order, for hashing. */
function sortedTexts(texts: Readonly<Record<string, string>>): string[] {
  return Object.keys(texts)
    .sort()
    .flatMap((name) => [name, texts[name] ?? ""]);
}

/** Length-prefixed parts: no two different lists of parts give the same string. */
function framed(parts: readonly string[]): string {
  return parts.map((part) => `${part.length}:${part}`).join("");
}

async function readEntry(bucket: R2Bucket, key: string, now: number): Promise<CacheEntry | null> {
  // A stale entry comes back without its body (the condition fails), so nothing is downloaded for it.
  const object = await bucket.get(key, { onlyIf: { uploadedAfter: new Date(now - BUILD_CACHE_MAX_AGE_MS) } });
  if (object === null || !("body" in object)) return null;
  const entry: unknown = await object.json();
  // Anything else (an entry from an older layout, a partial write) is a miss: the build overwrites it.
  return isCacheEntry(entry) ? entry : null;
}

function isStale(uploaded: Date, now: number): boolean {
  return uploaded.getTime() < now - BUILD_CACHE_MAX_AGE_MS;
}

function isCacheEntry(value: unknown): value is CacheEntry {
  if (typeof value !== "object" || value === null) return false;
  const { bundle, connectors, warnings } = value as Record<string, unknown>;
  return (
    typeof bundle === "object" &&
    bundle !== null &&
    "mainModule" in bundle &&
    typeof bundle.mainModule === "string" &&
    "modules" in bundle &&
    isStringRecord(bundle.modules) &&
    Array.isArray(connectors) &&
    connectors.every(isConnectorId) &&
    Array.isArray(warnings) &&
    warnings.every((warning) => typeof warning === "string")
  );
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((text) => typeof text === "string")
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
