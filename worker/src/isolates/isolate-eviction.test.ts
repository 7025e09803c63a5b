import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AppBundle } from "../compiler";
import { build } from "../../test/builds";
import type { AppTarget } from "./app-runner";
import { IsolateLru } from "./isolate-lru";
import { LoaderRunner } from "./loader-runner";

// An app whose answer names the load of its module that served it (random values are refused at the top level, so
// on its first request): a new one means the isolate was loaded again.
const source = {
  "src/index.ts": `let loadedAs: string | undefined;
export default { fetch: () => new Response((loadedAs ??= crypto.randomUUID())) };
`,
};

const target = (appId: string): AppTarget => ({
  appId,
  environment: "live",
  version: "v1",
  config: {},
  connectors: [],
});

async function runnerWithBound(max: number): Promise<{ runner: LoaderRunner; lru: IsolateLru; bundle: AppBundle }> {
  const bundle = await build(source);
  const lru = new IsolateLru(max);
  // Each test its own app ids: the loader's isolates outlive a test.
  return { runner: new LoaderRunner(env.LOADER, async () => bundle, undefined, null, lru), lru, bundle };
}

const visit = async (runner: LoaderRunner, appId: string) =>
  (await runner.serve(target(appId), new Request("http://app.localhost/"))).text();

describe("the runner's bound on warm isolates", () => {
  it("unloads the least recently used isolate past the bound; it loads afresh on its next request", async () => {
    const { runner, lru } = await runnerWithBound(2);
    const run = crypto.randomUUID();
    const [a, b, c] = ["a", "b", "c"].map((name) => `app_${name}_${run}`) as [string, string, string];
    const firstA = await visit(runner, a);
    const firstB = await visit(runner, b);
    expect(await visit(runner, a)).toBe(firstA);
    // c is the third: b, used least recently, goes.
    await visit(runner, c);
    expect(lru.size).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await visit(runner, a)).toBe(firstA);
    expect(await visit(runner, b)).not.toBe(firstB);
  });

  it("keeps every isolate without a bound (the test pool, single-process runs)", async () => {
    const bundle = await build(source);
    const runner = new LoaderRunner(env.LOADER, async () => bundle);
    const run = crypto.randomUUID();
    const first = await visit(runner, `app_x_${run}`);
    for (let i = 0; i < 5; i++) await visit(runner, `app_${i}_${run}`);
    expect(await visit(runner, `app_x_${run}`)).toBe(first);
  });
});

describe("IsolateLru", () => {
  it("returns the evicted targets oldest first and forgets them", () => {
    const lru = new IsolateLru(2);
    expect(lru.use("a", target("a"))).toEqual([]);
    expect(lru.use("b", target("b"))).toEqual([]);
    expect(lru.use("a", target("a"))).toEqual([]);
    expect(lru.use("c", target("c")).map((t) => t.appId)).toEqual(["b"]);
    expect(lru.use("d", target("d")).map((t) => t.appId)).toEqual(["a"]);
    expect(lru.size).toBe(2);
  });
});
