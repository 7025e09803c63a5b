import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BUILD_CACHE_MAX_AGE_MS, buildCacheKey, cachedBuild, sweepBuildCache } from "./build-cache";
import { buildApp, type BuildOptions, type SourceFiles } from "./index";

/** An app no other test uploads, so its cache entry is this test's alone. */
function uniqueApp(greeting = "hello"): SourceFiles {
  return {
    "src/index.ts": `import { Hono } from "hono";
const app = new Hono();
app.get("/", (c) => c.text(${JSON.stringify(`${greeting} ${crypto.randomUUID()}`)}));
export default app;
`,
  };
}

/** buildApp, counting how often the bundler pipeline really runs. */
function countingBuild(): { build: typeof buildApp; calls: () => number } {
  let calls = 0;
  return {
    build: (files: SourceFiles, options?: BuildOptions) => {
      calls++;
      return buildApp(files, options);
    },
    calls: () => calls,
  };
}

describe("the build cache", { timeout: 60_000 }, () => {
  it("builds a source once: the second build of it is the first one's result, without running the bundler", async () => {
    const files = uniqueApp();
    const counter = countingBuild();
    const first = await cachedBuild(env.BUNDLES, files, {}, counter);
    expect(first.ok).toBe(true);
    expect(counter.calls()).toBe(1);

    const stages: string[] = [];
    const second = await cachedBuild(env.BUNDLES, { ...files }, { onStagePassed: (s) => void stages.push(s) }, counter);
    expect(counter.calls()).toBe(1);
    // Two bundler runs never agree exactly (the loop guards' names are random per build): equal means reused.
    expect(second).toEqual(first);
    // Progress still reports both steps, so a chat turn streams the same steps either way.
    expect(stages).toEqual(["type-check", "bundle"]);
  });

  it("keys on every file and on the options: another source, budget or guard setting builds again", async () => {
    const files = uniqueApp();
    const counter = countingBuild();
    await cachedBuild(env.BUNDLES, files, {}, counter);
    const withPage = { ...files, "src/page.html": "<p>hi</p>" };
    const edited = { "src/index.ts": `${files["src/index.ts"]}// edited\n` };
    for (const [changedFiles, options] of [
      [withPage, {}],
      [edited, {}],
      [files, { cpuBudgetMs: 100 }],
      [files, { guards: false }],
    ] as const) {
      const before = counter.calls();
      const result = await cachedBuild(env.BUNDLES, changedFiles, options, counter);
      expect(result.ok).toBe(true);
      expect(counter.calls()).toBe(before + 1);
    }
    // The default budget spelled out is the same build.
    await cachedBuild(env.BUNDLES, files, { cpuBudgetMs: 50, guards: true }, counter);
    expect(counter.calls()).toBe(5);
    expect(await buildCacheKey(files, { cpuBudgetMs: 100 })).not.toBe(await buildCacheKey(files));
  });

  it("does not cache a failed build: each attempt gets fresh diagnostics", async () => {
    const files = { "src/index.ts": `const n: number = ${JSON.stringify(crypto.randomUUID())};\nexport default {};\n` };
    const counter = countingBuild();
    const first = await cachedBuild(env.BUNDLES, files, {}, counter);
    const second = await cachedBuild(env.BUNDLES, files, {}, counter);
    expect(first.ok || second.ok).toBe(false);
    expect(counter.calls()).toBe(2);
    expect(await env.BUNDLES.head(await buildCacheKey(files))).toBeNull();
  });

  it("uses what the entry under the source's key holds, and rebuilds over an unreadable one", async () => {
    const files = uniqueApp();
    const key = await buildCacheKey(files);
    const counter = countingBuild();
    const built = await cachedBuild(env.BUNDLES, files, {}, counter);
    if (!built.ok) throw new Error("expected the build to succeed");
    const planted = { ...built.bundle, modules: { ...built.bundle.modules, "app.js": "export default {};" } };
    await env.BUNDLES.put(key, JSON.stringify({ bundle: planted, connectors: ["stripe"], warnings: ["planted"] }));
    expect(await cachedBuild(env.BUNDLES, files, {}, counter)).toEqual({
      ok: true,
      bundle: planted,
      connectors: ["stripe"],
      warnings: ["planted"],
    });
    expect(counter.calls()).toBe(1);

    await env.BUNDLES.put(key, JSON.stringify({ bundle: "half written" }));
    const rebuilt = await cachedBuild(env.BUNDLES, files, {}, counter);
    expect(rebuilt.ok).toBe(true);
    expect(counter.calls()).toBe(2);
    expect(await cachedBuild(env.BUNDLES, files, {}, counter)).toEqual(rebuilt);
    expect(counter.calls()).toBe(2);
  });

  it("stops using an entry past its age and rebuilds it; the sweep deletes old entries", async () => {
    const files = uniqueApp();
    const key = await buildCacheKey(files);
    const counter = countingBuild();
    await cachedBuild(env.BUNDLES, files, {}, counter);
    const later = Date.now() + BUILD_CACHE_MAX_AGE_MS + 60_000;
    await cachedBuild(env.BUNDLES, files, {}, { ...counter, now: () => later });
    expect(counter.calls()).toBe(2);

    // Keys are hashes: starting just before this one's prefix, the sweep's page begins with it.
    const justBefore = key.slice(0, "build-cache/".length + 8);
    await sweepBuildCache(env.BUNDLES, Date.now(), justBefore);
    expect(await env.BUNDLES.head(key)).not.toBeNull();
    await sweepBuildCache(env.BUNDLES, later, justBefore);
    expect(await env.BUNDLES.head(key)).toBeNull();
  });
});
