// `npm run bench`: latency and throughput of the platform floor, a warm app
// request that reads one row, and the first request after publishing a new
// version — all in one run against a local Kiln on real workerd.
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startKiln } from "../scripts/local-server.mjs";
import { percentile, request } from "./http.mjs";
import { closedLoop } from "./load.mjs";
import { printRunnerRecovery, runnerRecovery } from "./runner-recovery.mjs";
import { automationsAtScale, printAutomations } from "./automations.mjs";
import { printWebUi, webUiFigures } from "./web-ui.mjs";
import { guardOverhead } from "./guards.mjs";
import { measureCosts, printCosts } from "./costs.mjs";
import { contextTokens } from "./context-tokens.mjs";
import { mcpTokens, printMcpTokens } from "./mcp-tokens.mjs";
import { compareSystems, measureSideBySide } from "./compare/index.mjs";
import { benchAppSource } from "./app-source.mjs";
import { startWorkerdHello } from "./compare/workerd-hello.mjs";
import {
  floorMemory,
  loadFloor,
  setFloorAppBundle,
  startWorkerdFloors,
  storedAppBundle,
} from "./compare/workerd-floors.mjs";
import { renderRuntime, runtimeRows, writeRuntimeSection } from "./runtime-report.mjs";
import { printStartMemory, startMemory } from "./start-memory.mjs";
import { burstFigures, printBurst } from "./burst.mjs";
import { printScale, scaleFigures } from "./scale.mjs";
import { printWorkerSizes, workerSizes, workerStartupMs } from "./worker-sizes.mjs";

const CONNECTIONS = 16;
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 8);
const FIRST_REQUEST_SAMPLES = Number(process.env.BENCH_VERSIONS ?? 30);
const port = 18000 + Math.floor(Math.random() * 1000);
const persistTo = mkdtempSync(path.join(tmpdir(), "kiln-bench-"));

async function load(label, host, urlPath, seconds = DURATION_S) {
  const result = await closedLoop({ port, host, path: urlPath, connections: CONNECTIONS, seconds });
  if (result.errors > 0) throw new Error(`${label}: ${result.errors} failed requests`);
  return { label, ...result };
}

const benchStartedAt = Date.now();
let kilnFigures; // for the side-by-side comparison (bench/compare), run after Kiln stops
let runtime; // for the runtime targets' table (bench/runtime-report.mjs), written after Kiln stops
let floors = null; // the plain workerd of bench/compare/workerd-floors.mjs, while it runs
const kiln = await startKiln({ port, persistTo });
try {
  const email = `bench${Date.now()}@example.com`;
  const signup = await request(port, {
    method: "POST",
    path: "/api/auth/signup",
    body: { email, password: "benchmark password" },
  });
  const cookie = String(signup.headers["set-cookie"]).split(";")[0];
  const token = (
    await request(port, { method: "POST", path: "/api/tokens", headers: { cookie }, body: { name: "bench" } })
  ).json.token;
  const auth = { authorization: `Bearer ${token}` };
  const app = (await request(port, { method: "POST", path: "/api/apps", headers: auth, body: { name: "bench" } })).json;
  const upload = await request(port, {
    method: "PUT",
    path: `/api/apps/${app.id}/source`,
    headers: auth,
    body: { files: benchAppSource(0) },
  });
  if (upload.status !== 200) throw new Error(`upload failed: ${upload.text}`);
  await request(port, {
    method: "POST",
    path: `/api/apps/${app.id}/publish`,
    headers: auth,
    body: { version: upload.json.version },
  });
  await request(port, {
    method: "POST",
    path: `/api/apps/${app.id}/data/items?env=live`,
    headers: auth,
    body: { name: "one row" },
  });
  const liveHost = `${app.slug}.localhost:${port}`;
  const check = await request(port, { host: liveHost, path: "/item" });
  if (check.json?.name !== "one row") throw new Error(`warm app check failed: ${check.text}`);

  // (a) the floor and (b) the warm app, alternated after a warm-up so both see the same machine state.
  await load("warm-up", `localhost:${port}`, "/api/health", 2);
  await load("warm-up", liveHost, "/item", 2);
  const floor = await load("(a) platform route GET /api/health", `localhost:${port}`, "/api/health");
  const warm = await load("(b) warm app request reading one row", liveHost, "/item");
  // The same load on a plain workerd hello-world, right after: the runtime's own floor on this machine, now.
  const hello = await startWorkerdHello();
  let plain;
  try {
    await closedLoop({
      port: hello.port,
      host: `localhost:${hello.port}`,
      path: "/",
      connections: CONNECTIONS,
      seconds: 2,
    });
    plain = {
      label: "plain workerd hello-world (same load, same run)",
      ...(await closedLoop({
        port: hello.port,
        host: `localhost:${hello.port}`,
        path: "/",
        connections: CONNECTIONS,
        seconds: DURATION_S,
      })),
    };
  } finally {
    await hello.stop();
  }
  // The same shapes of work on a plain workerd, right after (bench/compare/workerd-floors.mjs); it stays up, idle,
  // until the scale row, whose unloaded-app floor is measured right after it.
  let floorFigures = null;
  try {
    floors = await startWorkerdFloors();
    const loadOptions = { connections: CONNECTIONS, seconds: DURATION_S };
    floorFigures = {
      relayed: await loadFloor(floors, "/", { ...loadOptions, relayed: true }),
      warmRead: await loadFloor(floors, "/warm-read", loadOptions),
      warmReadRelayed: await loadFloor(floors, "/warm-read", { ...loadOptions, relayed: true }),
      memory: await floorMemory(floors),
    };
  } catch (error) {
    console.log(`\nThe floors on plain workerd could not be measured: ${error.message}`);
    await floors?.stop();
    floors = null;
  }

  // (c) first request after publishing a new version: sequential samples.
  const firsts = [];
  for (let i = 1; i <= FIRST_REQUEST_SAMPLES; i++) {
    const v = await request(port, {
      method: "PUT",
      path: `/api/apps/${app.id}/source`,
      headers: auth,
      body: { files: benchAppSource(i) },
    });
    if (v.status !== 200) throw new Error(`upload ${i} failed: ${v.text}`);
    await request(port, {
      method: "POST",
      path: `/api/apps/${app.id}/publish`,
      headers: auth,
      body: { version: v.json.version },
    });
    const first = await request(port, { host: liveHost, path: "/item" });
    if (first.status !== 200) throw new Error(`first request of version ${i} failed: ${first.status}`);
    firsts.push(first.ms);
  }
  firsts.sort((x, y) => x - y);
  const firstRow = {
    label: "(c) first request after publishing a new version",
    p50: percentile(firsts, 50),
    p95: percentile(firsts, 95),
    rps: 1000 / (firsts.reduce((s, x) => s + x, 0) / firsts.length),
    total: firsts.length,
  };

  const rows = [plain, floor, warm, firstRow, await guardOverhead()];
  const fmt = (n) => (Number.isFinite(n) ? n.toFixed(2) : "-");
  console.log(
    `\nKiln benchmark — ${CONNECTIONS} concurrent connections, ${DURATION_S}s per load test, ${FIRST_REQUEST_SAMPLES} new versions\n`,
  );
  console.log("| case | p50 ms | p95 ms | req/s | requests |");
  console.log("|---|---:|---:|---:|---:|");
  for (const r of rows)
    console.log(`| ${r.label} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${r.rps.toFixed(0)} | ${r.total} |`);
  console.log("\n(c) is measured sequentially (one new version at a time); its req/s is 1000 / mean latency.");
  const ratio = warm.p50 / floor.p50;
  const share = warm.rps / floor.rps;
  console.log(
    `\nTargets: (b) p50 ≤ 1.3× (a): ${ratio.toFixed(2)}× ${ratio <= 1.3 ? "✓" : "✗"} · (b) throughput ≥ 60% of (a): ${(share * 100).toFixed(0)}% ${share >= 0.6 ? "✓" : "✗"} · (c) p50 ≤ 25 ms: ${fmt(firstRow.p50)} ms ${firstRow.p50 <= 25 ? "✓" : "✗"}`,
  );

  // The runtime targets (issue 14), as ratios to the plain workerd of this run.
  const pct = (x, y) => `${((x / y) * 100).toFixed(0)}%`;
  const mark = (ok) => (ok ? "✓" : "✗");
  console.log(
    `Targets against plain workerd: (a) throughput ≥ 50%: ${pct(floor.rps, plain.rps)} ${mark(floor.rps >= plain.rps / 2)} · (b) throughput ≥ 25%: ${pct(warm.rps, plain.rps)} ${mark(warm.rps >= plain.rps / 4)} · (b) p50 ≤ 4×: ${(warm.p50 / plain.p50).toFixed(1)}× ${mark(warm.p50 <= plain.p50 * 4)} · (c) p50 ≤ 10 ms: ${fmt(firstRow.p50)} ms ${mark(firstRow.p50 <= 10)}`,
  );

  // Runner recovery: another app hangs the runner; how soon does this one answer again?
  const recovery = await runnerRecovery(port, auth, { events: kiln.events, runners: kiln.runnerPorts.length });
  printRunnerRecovery(recovery);
  // Load is not a fault: 2,000 concurrent visitors to one app while a neighbour is timed.
  const burst = await burstFigures(port, auth, { events: kiln.events });
  printBurst(burst);
  kilnFigures = {
    floor,
    warm,
    first: firstRow,
    ...(await measureSideBySide(port, auth, { warmHost: liveHost, connections: CONNECTIONS })),
  };
  // 1,000 every-minute automations due in one minute (last: its 50 apps stay loaded in the runner).
  const automations = await automationsAtScale(port, auth, { events: kiln.events });
  printAutomations(automations);
  printWebUi(await webUiFigures(port));
  printMcpTokens(await mcpTokens(`http://127.0.0.1:${port}`, token));
  // Last: thousands of apps published and visited round-robin, past the runner's bound on warm isolates.
  const scale = await scaleFigures(port, auth, { events: kiln.events });
  printScale(scale);
  if (floors && floorFigures) {
    // The scale row visits PARALLEL (4) apps at a time: its floor is a new isolate per request at the same width.
    floorFigures.newIsolate = await loadFloor(floors, "/new-isolate", { connections: 4, seconds: DURATION_S });
    floorFigures.newIsolateAlone = await loadFloor(floors, "/new-isolate", { connections: 1, seconds: DURATION_S });
    // And a new isolate of the very code the scale row's apps run (benchAppSource("scale")), as Kiln stored it.
    const bundle = storedAppBundle(persistTo, "bench scale");
    if (bundle) {
      await setFloorAppBundle(floors, bundle);
      floorFigures.newAppIsolate = await loadFloor(floors, "/new-app-isolate", { connections: 4, seconds: DURATION_S });
    }
  }
  await floors?.stop();
  floors = null;
  runtime = { plain, health: floor, warm, first: firstRow, floors: floorFigures, scale, burst, recovery, automations };

  mkdirSync(path.join(process.cwd(), "bench", "results"), { recursive: true });
  writeFileSync(
    path.join(process.cwd(), "bench", "results", "latest.json"),
    JSON.stringify(
      { date: new Date().toISOString(), connections: CONNECTIONS, durationSeconds: DURATION_S, rows, burst, scale },
      null,
      2,
    ),
  );
} finally {
  await floors?.stop();
  await kiln.stop();
  rmSync(persistTo, { recursive: true, force: true });
}
// After Kiln has stopped, so the two do not share the CPU.
const start = await startMemory();
printStartMemory(start);
printWorkerSizes(workerSizes(), workerStartupMs());
printCosts(await measureCosts());
await contextTokens();
await compareSystems({ kiln: kilnFigures, connections: CONNECTIONS, seconds: DURATION_S, benchStartedAt });
// Last, with every figure in: the runtime targets beside their floors, printed and written into docs/performance.md.
const runtimeMarkdown = renderRuntime(
  runtimeRows({ ...runtime, memory: kilnFigures?.memory ?? null, startMb: start.totalMb }),
  { date: new Date().toISOString(), plain: runtime.plain },
);
console.log(`\nRuntime targets\n\n${runtimeMarkdown}`);
if (writeRuntimeSection(process.cwd(), runtimeMarkdown))
  console.log("\nUpdated the runtime section of docs/performance.md.");
