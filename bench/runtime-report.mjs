// The runtime targets of one `npm run bench` (issue 14's table) as markdown: each Kiln figure beside the plain
// workerd it is measured against and the structural floor of the same work on a plain workerd of the same run
// (bench/compare/workerd-floors.mjs), so a miss says how much of it is Kiln's and how much the runtime's. Written
// between the `bench:runtime` markers of docs/performance.md.
import { replaceDocSection } from "./doc-section.mjs";

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "-");
const pct = (x, y) => `${((x / y) * 100).toFixed(0)}%`;
const rps = (r) => `${Math.round(r.rps).toLocaleString("en-US")} req/s`;

/**
 * The rows { figure, kiln, floor, target, ok } from the run's figures. `floors` may be null (the floors' workerd
 * could not start): the rows then say so instead of a floor.
 */
export function runtimeRows({
  plain,
  health,
  warm,
  first,
  floors,
  memory,
  startMb,
  scale,
  burst,
  recovery,
  automations,
}) {
  const none = "not measured";
  const rows = [
    {
      figure: "platform route `GET /api/health`, 16 connections",
      kiln: `${rps(health)} = ${pct(health.rps, plain.rps)} of plain, p50 ${fmt(health.p50, 2)} ms`,
      floor: floors
        ? `any two-process path (one workerd relaying to another): ${pct(floors.relayed.rps, plain.rps)} of plain`
        : none,
      target: "≥ 50% of plain workerd",
      ok: health.rps >= plain.rps / 2,
    },
    {
      figure: "warm app request reading one row, 16 connections",
      kiln: `${rps(warm)} = ${pct(warm.rps, plain.rps)} of plain`,
      floor: floors
        ? `Dynamic Worker + SQLite Durable Object, one process: ${pct(floors.warmRead.rps, plain.rps)}; behind a relay: ${pct(floors.warmReadRelayed.rps, plain.rps)}`
        : none,
      target: "≥ 25% of plain workerd",
      ok: warm.rps >= plain.rps / 4,
    },
    {
      figure: "warm app request, p50",
      kiln: `${fmt(warm.p50, 2)} ms = ${fmt(warm.p50 / plain.p50)}× plain (${fmt(plain.p50, 2)} ms)`,
      floor: floors ? `${fmt(floors.warmReadRelayed.p50 / plain.p50)}× plain behind a relay` : none,
      target: "≤ 4× plain workerd",
      ok: warm.p50 <= plain.p50 * 4,
    },
    {
      figure: "first request of a newly published version, p50",
      kiln: `${fmt(first.p50, 2)} ms`,
      floor: "",
      target: "≤ 10 ms",
      ok: first.p50 <= 10,
    },
    {
      figure: "memory per warm app (RSS growth ÷ apps)",
      kiln: memory ? `${fmt(memory.perAppMiB, 2)} MiB` : none,
      floor: floors
        ? `${fmt(floors.memory.appMiB, 2)} MiB: one warm one-line Dynamic Worker ${fmt(floors.memory.isolateMiB, 2)} + two SQLite Durable Objects (preview, live) ${fmt(floors.memory.databaseMiB, 2)} each`
        : none,
      target: "≤ 1.5 MiB",
      ok: Boolean(memory) && memory.perAppMiB <= 1.5,
    },
    {
      figure: "fresh `npm start`, RSS of all its processes",
      kiln: `${fmt(startMb, 0)} MB`,
      floor: "",
      target: "≤ 800 MB",
      ok: startMb <= 800,
    },
    {
      figure: `${scale.apps.toLocaleString("en-US")} apps visited round-robin twice: request to an unloaded app, p50`,
      kiln: `${fmt(scale.evictedP50)} ms (p95 ${fmt(scale.evictedP95)}), 4 at a time`,
      floor: floors?.newIsolate
        ? `a new Dynamic Worker per request, 4 at a time: one-line module ${fmt(floors.newIsolate.p50)} ms (one at a time ${fmt(floors.newIsolateAlone.p50)} ms)${floors.newAppIsolate ? `; the same app's code, as Kiln built it, ${fmt(floors.newAppIsolate.p50)} ms` : ""}`
        : none,
      target: "≤ 25 ms",
      ok: scale.evictedP50 <= 25,
    },
    {
      figure: "the same: largest runner's RSS, kills, incidents, failed requests",
      kiln: `${fmt(scale.peakMiB, 0)} MiB of ${scale.budgetMiB}; ${scale.runnerKills} kills, ${scale.pausedApps} paused apps, ${scale.failed} failed`,
      floor: "",
      target: "under budget, 0, 0, 0",
      ok: scale.peakMiB < scale.budgetMiB && scale.runnerKills === 0 && scale.pausedApps === 0 && scale.failed === 0,
    },
    {
      figure: `burst of ${burst.burst.toLocaleString("en-US")} concurrent visitors to one app`,
      kiln: `${fmt((burst.ok / burst.burst) * 100)}% answered 200; neighbour slowest ${Number.isFinite(burst.neighbourMaxMs) ? `${burst.neighbourMaxMs} ms` : "no answer"}, ${burst.neighbourFailed} failed`,
      floor: "",
      target: "≥ 99%; neighbour within 2 s",
      ok: burst.ok / burst.burst >= 0.99 && burst.neighbourFailed === 0 && burst.neighbourMaxMs <= 2000,
    },
  ];
  if (recovery?.neighbour)
    rows.push({
      figure: "a hung runner killed: requests of an app on another runner",
      kiln: `${recovery.neighbour.failed} of ${recovery.neighbour.requests} failed`,
      floor: "",
      target: "0 failed",
      ok: recovery.neighbour.failed === 0,
    });
  if (automations) {
    const killed = automations.killedMinute;
    rows.push({
      figure: `${automations.expected.toLocaleString("en-US")} every-minute automations, one runner killed mid-minute`,
      kiln: `${killed ? `${killed.succeeded}/${automations.expected} succeeded in the killed minute; ` : ""}${automations.rowsDuplicated} rows written twice`,
      floor: "",
      target: "every run succeeds, 0 duplicates",
      ok: automations.rowsDuplicated === 0 && (!killed || killed.succeeded === automations.expected),
    });
  }
  return rows;
}

/** The rows as a markdown table. */
export function renderRuntime(rows, { date, plain }) {
  const lines = [
    `Run of ${date}. Plain workerd: a hello-world on the \`workerd\` binary Kiln runs, same load, same run: ${rps(plain)}, p50 ${fmt(plain.p50, 2)} ms. ` +
      "Floors: the same work on a plain workerd of the same run with no Kiln code (`bench/compare/workerd-floors.mjs`); a target below its floor cannot be met by Kiln's code on this machine.",
    "",
    "| figure | Kiln | floor on plain workerd | target | |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.figure} | ${r.kiln} | ${r.floor || "–"} | ${r.target} | ${r.ok ? "✓" : "✗"} |`),
  ];
  return lines.join("\n");
}

/** Writes the runtime table between the `bench:runtime` markers of docs/performance.md. */
export function writeRuntimeSection(root, markdown) {
  return replaceDocSection(root, "runtime", "bench/run.mjs", markdown);
}
