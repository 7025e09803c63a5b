// Automations at scale: 1,000 every-minute automations (50 apps × 20, the
// per-app maximum) due in one minute on one machine. On a running Kiln: each
// app is uploaded and published, then the real scheduled handler is fired
// (miniflare's /cdn-cgi/local/scheduled) at two consecutive real minute
// boundaries, and the runs API says when each run started and ended. The
// second minute finds every app's isolate already loaded. The supervisor's
// own minute tick (a second after each boundary) then finds nothing due: a
// slot is recorded once, by whichever tick sees it first.
// `node bench/automations.mjs` runs it alone on its own Kiln.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { runnerWorkerdPid } from "./compare/runner-process.mjs";
import { percentile, request } from "./http.mjs";

const MINUTE_MS = 60_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** An app with `count` every-minute automations, each inserting one row into the app's own database. */
export function automationsAppSource(marker, count) {
  const entries = Array.from(
    { length: count },
    (_, i) => `  a${String(i + 1).padStart(2, "0")}: { cron: "* * * * *", run: record },`,
  );
  return {
    "src/index.ts": `import { defineTables, type AppEnv, type Automations, type AutomationRun } from "kiln";
export const tables = defineTables({ runs: { automation: "text", slot: "text?" } });
async function record(run: AutomationRun, env: AppEnv<typeof tables>): Promise<void> {
  // Keyed by the run: a retried attempt (after a runner restart) writes nothing twice.
  await env.DB.insert("runs", { automation: run.name, slot: run.scheduledAt }, { key: run.idempotencyKey });
}
export const automations: Automations<typeof tables> = {
${entries.join("\n")}
};
export default { fetch: () => new Response("automations bench ${marker}") };
`,
  };
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function inParallel(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], index);
      }
    }),
  );
  return results;
}

async function deployApp(port, auth, index, perApp) {
  const created = await request(port, {
    method: "POST",
    path: "/api/apps",
    headers: auth,
    body: { name: `automations ${index}` },
  });
  if (created.status !== 201 && created.status !== 200)
    throw new Error(`automations bench: creating app ${index} failed: ${created.status} ${created.text}`);
  const app = created.json;
  const upload = await request(port, {
    method: "PUT",
    path: `/api/apps/${app.id}/source`,
    headers: auth,
    body: { files: automationsAppSource(index, perApp) },
  });
  if (upload.status !== 200)
    throw new Error(`automations bench: upload of app ${index} failed: ${upload.status} ${upload.text}`);
  const published = await request(port, {
    method: "POST",
    path: `/api/apps/${app.id}/publish`,
    headers: auth,
    body: { version: upload.json.version },
  });
  if (published.status !== 200)
    throw new Error(`automations bench: publish of app ${index} failed: ${published.status} ${published.text}`);
  return app;
}

/** Fires the platform Worker's real scheduled handler as the cron trigger would at `time`. */
async function fireTick(port, time) {
  const answer = await request(port, {
    path: `/cdn-cgi/local/scheduled?cron=${encodeURIComponent("* * * * *")}&time=${time}&format=json`,
  });
  if (answer.status !== 200)
    throw new Error(
      `automations bench: the tick at ${new Date(time).toISOString()} failed: ${answer.status} ${answer.text}`,
    );
  return answer.ms;
}

/** Every run of `apps` for the slot `slotIso` (20 per app fit in one page). */
async function runsOfSlot(port, auth, apps, slotIso) {
  const pages = await inParallel(apps, 8, async (app) => {
    const answer = await request(port, { path: `/api/apps/${app.id}/runs?limit=200`, headers: auth });
    if (answer.status !== 200)
      throw new Error(`automations bench: runs of ${app.slug}: ${answer.status} ${answer.text}`);
    return answer.json.runs.filter((run) => run.scheduledAt === slotIso);
  });
  return pages.flat();
}

// Distinct run errors with how many runs gave each, most frequent first.
function countErrors(runs) {
  const counts = new Map();
  for (const run of runs) if (run.error) counts.set(run.error, (counts.get(run.error) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

const isOver = (run) => run.status === "succeeded" || run.status === "failed" || run.status === "skipped";

/** Waits for real time to reach `slot`, fires the tick, and follows its runs until all are over (or `timeoutMs`). */
async function measureMinute(port, auth, apps, expected, slot, label, timeoutMs) {
  const wait = slot - Date.now();
  if (wait > 0) await sleep(wait);
  const firedAt = Date.now();
  const tickMs = await fireTick(port, slot);
  const slotIso = new Date(slot).toISOString();
  let runs = [];
  const deadline = firedAt + timeoutMs;
  for (;;) {
    await sleep(1_000);
    runs = await runsOfSlot(port, auth, apps, slotIso);
    if ((runs.length >= expected && runs.every(isOver)) || Date.now() > deadline) break;
  }
  const since = (iso) => new Date(iso).getTime() - slot;
  const started = runs.filter((run) => run.startedAt !== null);
  const startLags = started.map((run) => since(run.startedAt)).sort((a, b) => a - b);
  const durations = runs
    .filter((run) => run.startedAt && run.endedAt)
    .map((run) => Date.parse(run.endedAt) - Date.parse(run.startedAt))
    .sort((a, b) => a - b);
  const succeeded = runs.filter((run) => run.status === "succeeded");
  return {
    label,
    slot: slotIso,
    fireLagMs: firedAt - slot,
    tickMs,
    recorded: runs.length,
    started: started.length,
    succeeded: succeeded.length,
    // A run that needed a second attempt failed once, even if the retry later succeeded.
    failed: runs.filter((run) => run.status === "failed" || run.status === "retrying" || run.attempt > 1).length,
    skipped: runs.filter((run) => run.status === "skipped").length,
    errors: countErrors(runs),
    allStartedMs: started.length === expected ? startLags.at(-1) : NaN,
    allSucceededMs: succeeded.length === expected ? Math.max(...succeeded.map((run) => since(run.endedAt))) : NaN,
    startP50: percentile(startLags, 50),
    startP95: percentile(startLags, 95),
    runP50: percentile(durations, 50),
    runP95: percentile(durations, 95),
  };
}

/**
 * On a Kiln listening on `port`, as the owner `auth` ({ authorization }):
 * deploys `apps` apps with `perApp` every-minute automations each and
 * measures two consecutive minutes. `events` (startKiln()'s runner restarts)
 * tells whether the runner was restarted meanwhile. Resolves the figures.
 */
export async function automationsAtScale(
  port,
  auth,
  { apps: appCount = 50, perApp = 20, concurrency = 6, events } = {},
) {
  const expected = appCount * perApp;
  const restartsBefore = events?.length ?? 0;
  const deployStarted = Date.now();
  const apps = await inParallel(
    Array.from({ length: appCount }, (_, i) => i),
    concurrency,
    (index) => deployApp(port, auth, index, perApp),
  );
  const deployMs = Date.now() - deployStarted;
  const listed = await request(port, { path: `/api/apps/${apps[0].id}/automations`, headers: auth });
  if (listed.json?.automations?.length !== perApp)
    throw new Error(
      `automations bench: expected ${perApp} live automations, the API lists ${listed.text.slice(0, 200)}`,
    );
  // Publishing set each automation's next slot to the first minute after it: every one is due there.
  const first = Math.ceil((Date.now() + 1) / MINUTE_MS) * MINUTE_MS;
  const minutes = [];
  minutes.push(await measureMinute(port, auth, apps, expected, first, "minute 1 (isolates cold)", 55_000));
  minutes.push(await measureMinute(port, auth, apps, expected, first + MINUTE_MS, "minute 2 (isolates warm)", 55_000));
  // Minute 3: the runner is killed 1.5 s into the minute, with runs in flight. Interrupted attempts are retried
  // (KILN_AUTOMATION_RETRY_SECONDS later) and, keyed by their run, write their row once.
  const third = first + 2 * MINUTE_MS;
  const killer = (async () => {
    await sleep(third + 1_500 - Date.now());
    const pid = runnerWorkerdPid();
    if (pid) process.kill(pid, "SIGKILL");
    return pid !== null;
  })();
  const killedMinute = await measureMinute(
    port,
    auth,
    apps,
    expected,
    third,
    "minute 3 (runner 0 killed 1.5 s in)",
    110_000,
  );
  killedMinute.runnerKilled = await killer;
  minutes.push(killedMinute);
  const rows = await inParallel(apps, 8, async (app) => {
    const answer = await request(port, { path: `/api/apps/${app.id}/data/runs?env=live&limit=500`, headers: auth });
    const listed = answer.status === 200 ? answer.json.rows : [];
    // Runs of an earlier minute (apps published before a boundary) are real runs; a slot written twice is not.
    const slots = new Set(listed.map((row) => `${row.automation} ${row.slot}`));
    return { written: listed.length, duplicated: listed.length - slots.size };
  });
  return {
    apps: appCount,
    perApp,
    expected,
    deployMs,
    minutes,
    rowsWritten: rows.reduce((sum, n) => sum + n.written, 0),
    rowsDuplicated: rows.reduce((sum, n) => sum + n.duplicated, 0),
    runnerRestarts: (events ?? []).slice(restartsBefore).map((event) => `${event.reason}: ${event.detail}`),
    killedMinute,
  };
}

/** Prints the figures as a small markdown table, and whether each minute started everything within it. */
export function printAutomations({
  apps,
  perApp,
  expected,
  deployMs,
  minutes,
  rowsWritten,
  rowsDuplicated,
  runnerRestarts,
  killedMinute,
}) {
  const fmt = (n) => (Number.isFinite(n) ? String(Math.round(n)) : "-");
  console.log(
    `\nAutomations at scale — ${expected} every-minute automations (${apps} apps × ${perApp}), one tick per minute at the real minute boundary\n`,
  );
  console.log(
    "| minute | tick ms | runs started | all started, ms after slot | all succeeded, ms after slot | start p50 ms | start p95 ms | run p50 ms | run p95 ms | failed |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const m of minutes) {
    console.log(
      `| ${m.label} | ${fmt(m.tickMs)} | ${m.started}/${expected} | ${fmt(m.allStartedMs)} | ${fmt(m.allSucceededMs)} | ${fmt(m.startP50)} | ${fmt(m.startP95)} | ${fmt(m.runP50)} | ${fmt(m.runP95)} | ${m.failed} |`,
    );
  }
  const verdict = minutes.map(
    (m) =>
      `${m.label}: ${m.started === expected && m.allStartedMs < MINUTE_MS ? `all ${expected} started within the minute ✓` : `${m.started}/${expected} started${Number.isFinite(m.allStartedMs) ? ` by ${fmt(m.allStartedMs)} ms` : ""} ✗`}`,
  );
  console.log(`\n${verdict.join(" · ")}`);
  console.log(
    `Start lag = run's startedAt − its slot; the tick was fired ${minutes.map((m) => `${m.fireLagMs} ms`).join(" / ")} after the slot. ` +
      `Deploying the ${apps} apps took ${(deployMs / 1000).toFixed(1)} s; rows written by runs: ${rowsWritten} (${expected * minutes.length} in the minutes measured, the rest from a boundary crossed while publishing), slots written twice: ${rowsDuplicated} ${rowsDuplicated === 0 ? "✓" : "✗"}; runner restarts: ${runnerRestarts.length}.`,
  );
  if (killedMinute)
    console.log(
      `Runner killed in ${killedMinute.label}: ${killedMinute.runnerKilled ? "yes" : "no runner found to kill"}; ${killedMinute.succeeded}/${expected} runs succeeded (${killedMinute.failed} needed a retry) ${killedMinute.succeeded === expected ? "✓" : "✗"}.`,
    );
  for (const restart of runnerRestarts) console.log(`Runner restart — ${restart}`);
  for (const m of minutes)
    for (const [error, count] of m.errors.slice(0, 3)) console.log(`${m.label}: ${count} runs failed with: ${error}`);
}

// Alone: its own Kiln, as `npm start` runs it.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { startKiln } = await import("../scripts/local-server.mjs");
  const port = 19000 + Math.floor(Math.random() * 1000);
  const persistTo = mkdtempSync(path.join(tmpdir(), "kiln-bench-automations-"));
  const kiln = await startKiln({ port, persistTo, logFile: process.env.BENCH_LOG });
  try {
    const signup = await request(port, {
      method: "POST",
      path: "/api/auth/signup",
      body: { email: `automations${Date.now()}@example.com`, password: "benchmark password" },
    });
    const cookie = String(signup.headers["set-cookie"]).split(";")[0];
    const token = (
      await request(port, { method: "POST", path: "/api/tokens", headers: { cookie }, body: { name: "bench" } })
    ).json.token;
    printAutomations(await automationsAtScale(port, { authorization: `Bearer ${token}` }, { events: kiln.events }));
  } finally {
    await kiln.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}
