// Guard overhead, measured inside workerd: the same app built with and without
// loop guards, loaded by the real Worker Loader, answering sequential requests
// in alternating batches (so both variants see the same machine state).
// Prints one `KILN_GUARD_BENCH {json}` line for bench/guards.mjs.
import { env } from "cloudflare:workers";
import { it } from "vitest";
import { buildApp, type AppBundle } from "../worker/src/compiler";

const ROUNDS = Number(process.env.GUARD_BENCH_ROUNDS ?? 8);
/** Isolates per variant: now and then one isolate's JIT stays in a slow mode, in either variant; pooling outvotes it. */
const PAIRS = 3;
/** Requests per batch: ~60 ms a batch, since this isolate's clock ticks in whole ms (±2% a batch). */
const BATCH: Record<string, number> = { "/json": 1200, "/compute": 350, "/calls": 350 };

const APP = {
  "src/index.ts": `import { Hono } from "hono";
const app = new Hono();
// A normal JSON route.
app.get("/json", (c) => c.json({ ok: true, items: [{ id: 1, name: "nail" }, { id: 2, name: "screw" }] }));
// Compute-heavy but legitimate: 100k iterations of arithmetic.
app.get("/compute", (c) => {
  let acc = 0;
  // Stays in small integers: an overflowing body makes V8 deoptimize at random, in either variant.
  for (let i = 0; i < 100_000; i++) acc = (acc + ((i * 7) ^ (acc >> 3))) & 0xffff;
  return c.json({ acc });
});
// Callback-heavy: array methods over 10k records (a guard check per callback call).
const rows = Array.from({ length: 10_000 }, (_, i) => ({ id: i, price: (i * 37) % 101, tags: i % 3 === 0 ? ["a"] : [] }));
app.get("/calls", (c) => {
  const total = rows.filter((r) => r.tags.length > 0).map((r) => r.price * 2).reduce((s, p) => s + p, 0);
  return c.json({ total });
});
export default app;
`,
};
const ROUTES = Object.keys(BATCH);

async function bundle(guards: boolean): Promise<AppBundle> {
  const result = await buildApp(APP, { guards });
  if (!result.ok) throw new Error(`bench app failed to build: ${result.message}`);
  return result.bundle;
}

function loadBundle(b: AppBundle): WorkerStub {
  return env.LOADER.load({
    compatibilityDate: "2026-11-01",
    compatibilityFlags: ["nodejs_compat"],
    mainModule: b.mainModule,
    modules: b.modules,
    env: {},
    globalOutbound: null,
  });
}

/** Mean ms per request over one batch of sequential requests (the clock here ticks in whole ms). */
async function batch(worker: WorkerStub, path: string): Promise<number> {
  const count = BATCH[path] ?? 100;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    // As the platform sends every request: with its id, which the wrapper strips and attributes.
    const response = await worker
      .getEntrypoint()
      .fetch(`http://bench.test${path}`, { headers: { "x-kiln-request-id": `bench-${i}` } });
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    await response.arrayBuffer();
  }
  return (performance.now() - started) / count;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

it("guard overhead", async () => {
  const guarded = await bundle(true);
  const plain = await bundle(false);
  const pairs = Array.from({ length: PAIRS }, () => ({ guarded: loadBundle(guarded), plain: loadBundle(plain) }));
  const samples: Record<string, number[]> = {};
  // Per round, guarded ÷ plain of two adjacent batches: both saw the same machine (others' load drifts).
  const paired: Record<string, number[]> = {};
  for (let round = -2; round < ROUNDS; round++) {
    for (const pair of pairs) {
      for (const path of ROUTES) {
        // Alternate which variant goes first, so neither always runs on a warmer machine.
        const order = round % 2 === 0 ? (["guarded", "plain"] as const) : (["plain", "guarded"] as const);
        const ms: Record<string, number> = {};
        for (const name of order) ms[name] = await batch(pair[name], path);
        if (round < 0) continue;
        for (const name of order) {
          const key = `${name} ${path}`;
          samples[key] ??= [];
          samples[key].push(ms[name]!);
        }
        paired[path] ??= [];
        paired[path].push(ms.guarded! / ms.plain!);
      }
    }
  }
  const result: Record<string, { p50: number; p95: number; mean: number }> = {};
  for (const [key, values] of Object.entries(samples)) {
    const sorted = values.toSorted((a, b) => a - b);
    result[key] = {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      mean: values.reduce((s, v) => s + v, 0) / values.length,
    };
  }
  const ratios = Object.fromEntries(
    Object.entries(paired).map(([path, values]) => [
      path,
      percentile(
        values.toSorted((a, b) => a - b),
        50,
      ),
    ]),
  );
  console.log(
    `KILN_GUARD_BENCH ${JSON.stringify({ rounds: ROUNDS * PAIRS, batch: BATCH, routes: ROUTES, result, ratios })}`,
  );
});
