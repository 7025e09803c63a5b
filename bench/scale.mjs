// Thousands of apps on one runner: BENCH_SCALE_APPS (default 5,000) distinct apps publish the same small source
// (the build cache makes each upload cheap, so this measures serving, not building), then every app is visited
// round-robin twice. The runner keeps at most RUNNER_MAX_ISOLATES of them warm, so nearly every request of the
// second round is to an app whose isolate was unloaded: its p50 is what a visitor of an idle app waits.
import http from "node:http";
import { benchAppSource } from "./app-source.mjs";
import { rssMiB, runnerWorkerdPids } from "./compare/runner-process.mjs";
import { percentile, request } from "./http.mjs";

const APPS = Number(process.env.BENCH_SCALE_APPS ?? 5000);
const PARALLEL = 4;
/** The supervisor's memory ceiling for the runner (scripts/supervisor.mjs WATCHDOG_DEFAULTS). */
const RUNNER_BUDGET_MIB = 1536;

const agent = new http.Agent({ keepAlive: true, maxSockets: PARALLEL });

function visit(port, host) {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.get({ host: "127.0.0.1", port, path: "/item", agent, headers: { host } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.setTimeout(30_000, () => req.destroy());
    req.on("error", () => resolve({ status: 0, ms: performance.now() - started }));
  });
}

/** Runs `work(i)` for i in [0, n) with `parallel` at a time. */
async function inParallel(n, parallel, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

/** Publishes the apps, visits them round-robin twice, and watches the runner; resolves the figures. */
export async function scaleFigures(port, auth, { events }) {
  const killsBefore = events.length;
  // The budget is each runner's: the peak is that of the largest runner.
  const largest = () => Math.max(0, ...runnerWorkerdPids().map((pid) => (pid ? rssMiB(pid) : 0)));
  let peakMiB = largest();
  const runners = runnerWorkerdPids().length;
  const watch = setInterval(() => {
    peakMiB = Math.max(peakMiB, largest());
  }, 250);
  const hosts = [];
  const publishStarted = Date.now();
  const files = benchAppSource("scale");
  try {
    await inParallel(APPS, PARALLEL, async (i) => {
      const app = (
        await request(port, { method: "POST", path: "/api/apps", headers: auth, body: { name: `scale ${i}` } })
      ).json;
      const up = await request(port, {
        method: "PUT",
        path: `/api/apps/${app.id}/source`,
        headers: auth,
        body: { files },
      });
      if (up.status !== 200) throw new Error(`scale: upload ${i} failed: ${up.text}`);
      const pub = await request(port, {
        method: "POST",
        path: `/api/apps/${app.id}/publish`,
        headers: auth,
        body: { version: up.json.version },
      });
      if (pub.status !== 200) throw new Error(`scale: publish ${i} failed: ${pub.text}`);
      hosts[i] = `${app.slug}.localhost:${port}`;
    });
    const publishSeconds = (Date.now() - publishStarted) / 1000;
    const rounds = [];
    for (let round = 0; round < 2; round++) {
      const samples = [];
      await inParallel(APPS, PARALLEL, async (i) => {
        samples.push(await visit(port, hosts[i]));
      });
      rounds.push(samples);
    }
    const failed = rounds.flat().filter((s) => s.status !== 200).length;
    const second = rounds[1].map((s) => s.ms).sort((x, y) => x - y);
    // Incidents are recorded only when the supervisor stops the runner; a version twice to blame is paused.
    const listed = (await request(port, { path: "/api/apps", headers: auth })).json;
    return {
      apps: APPS,
      publishSeconds,
      failed,
      evictedP50: percentile(second, 50),
      evictedP95: percentile(second, 95),
      peakMiB,
      runners,
      budgetMiB: RUNNER_BUDGET_MIB,
      runnerKills: events.length - killsBefore,
      pausedApps: Array.isArray(listed?.apps) ? listed.apps.filter((a) => a.health?.pausedVersions > 0).length : -1,
    };
  } finally {
    clearInterval(watch);
  }
}

/** Prints the scale row and its targets. */
export function printScale(f) {
  console.log(
    `\nScale: ${f.apps} apps published in ${f.publishSeconds.toFixed(0)} s, then visited round-robin twice (${PARALLEL} at a time): ${f.failed} failed requests; second round (apps unloaded since their first visit) p50 ${f.evictedP50.toFixed(1)} ms, p95 ${f.evictedP95.toFixed(1)} ms; the largest of ${f.runners} runners peaked at ${f.peakMiB.toFixed(0)} MiB RSS (budget ${f.budgetMiB} each); runner kills ${f.runnerKills}; paused apps ${f.pausedApps}.`,
  );
  const ok = (x) => (x ? "✓" : "✗");
  console.log(
    `Targets: every runner under its budget ${ok(f.peakMiB < f.budgetMiB)} · 0 runner kills ${ok(f.runnerKills === 0)} · 0 incidents (no kill, no app paused) ${ok(f.runnerKills === 0 && f.pausedApps === 0)} · 0 failed requests ${ok(f.failed === 0)} · p50 of a request to an unloaded app ≤ 25 ms: ${f.evictedP50.toFixed(1)} ms ${ok(f.evictedP50 <= 25)}`,
  );
}
