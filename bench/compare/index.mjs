// `npm run bench`'s side-by-side comparison (issue 8): Kiln's own figures
// beside a bare workerd floor, fresh-sandbox-per-request alternatives and
// published microVM figures. measureSideBySide runs while Kiln is up (each
// alternative paired with a Kiln run, so ratios survive a noisy machine);
// compareSystems prints the table and targets and writes
// bench/results/compare.json, docs/performance-latency.svg and the generated
// section of docs/performance.md.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { closedLoop } from "../load.mjs";
import { measureAlternatives, oneRequest, startSandboxServer } from "./alternatives.mjs";
import { measureBuildAndFirstRequests, measureMemoryPerApp } from "./kiln-extras.mjs";
import { latencyChart } from "./chart.mjs";
import { describeMachine } from "./machine.mjs";
import { PUBLISHED } from "./published.mjs";
import { replaceDocSection } from "../doc-section.mjs";
import { buildRows, checkTargets, renderMarkdown } from "./report.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Writes the comparison, under the machine it ran on, between the `bench:compare` markers of docs/performance.md. */
function updateDoc(markdown, machine, date, benchSeconds) {
  const machineLine =
    `Run of ${date} on ${machine.cores} cores (${machine.cpu}), ${machine.ramGiB} GiB RAM, ${machine.os}; ` +
    `Node ${machine.node}, ${machine.workerd} (wrangler ${machine.wrangler}).` +
    (benchSeconds ? ` The whole \`npm run bench\` took ${Math.round(benchSeconds)} s.` : "");
  const body = `${machineLine}\n\n${markdown}\n\n![Latency by system](performance-latency.svg)`;
  return replaceDocSection(root, "compare", "bench/compare/index.mjs from bench/results/compare.json", body);
}

/**
 * On a running Kiln (`port`, owner `auth`, `warmHost` = the host of run.mjs's
 * published one-row app): the alternatives, each right after a Kiln warm run
 * of the same length; build time and first requests of new versions
 * alternated with fresh Node child processes; memory per warm app. Kiln is
 * idle (health checks only) while an alternative runs.
 */
export async function measureSideBySide(
  port,
  auth,
  {
    warmHost,
    connections,
    seconds = Number(process.env.BENCH_PAIRED_SECONDS ?? 4),
    uploads = 10,
    apps = Number(process.env.BENCH_WARM_APPS ?? 200),
  },
) {
  const measureKilnWarm = async (s) => {
    const result = await closedLoop({ port, host: warmHost, path: "/item", connections, seconds: s });
    if (result.errors > 0) throw new Error(`Kiln warm app: ${result.errors} failed requests`);
    return result;
  };
  const alternatives = await measureAlternatives({ connections, seconds, measureKilnWarm });
  const child = await startSandboxServer("child-process");
  let firstPaired;
  try {
    firstPaired = await measureBuildAndFirstRequests(port, auth, {
      uploads,
      pairedRequest: () => oneRequest(child.port),
    });
  } finally {
    await child.stop();
  }
  const memory = await measureMemoryPerApp(port, auth, { apps });
  return { alternatives, pairedSeconds: seconds, build: firstPaired.build, firstPaired, memory };
}

/**
 * Reports. `kiln` = { floor, warm, first } of run.mjs plus what
 * measureSideBySide returned; `benchStartedAt` (ms) lets the doc state the
 * whole bench's run time.
 */
export async function compareSystems({ kiln, connections, seconds, benchStartedAt }) {
  const rows = buildRows({ kiln, connections });
  const checks = checkTargets({ kiln });
  const markdown = renderMarkdown({
    rows,
    checks,
    kiln,
    published: PUBLISHED,
    connections,
    seconds,
    pairedSeconds: kiln.pairedSeconds,
  });
  console.log(`\nSide by side — the same machine, the same load generator\n\n${markdown}`);
  const skipped = kiln.alternatives.filter((a) => a.skipped);
  for (const a of skipped) console.log(`\nSKIPPED: ${a.label} — ${a.skipped}`);

  const machine = describeMachine();
  const date = new Date().toISOString();
  const benchSeconds = benchStartedAt ? (Date.now() - benchStartedAt) / 1000 : undefined;
  const results = path.join(root, "bench", "results");
  mkdirSync(results, { recursive: true });
  writeFileSync(
    path.join(results, "compare.json"),
    `${JSON.stringify({ date, machine, connections, durationSeconds: seconds, benchSeconds, rows, checks, memory: kiln.memory, build: kiln.build, published: PUBLISHED }, null, 2)}\n`,
  );
  // The chart is drawn from the JSON just written, not from values in memory.
  const saved = JSON.parse(readFileSync(path.join(results, "compare.json"), "utf8"));
  writeFileSync(
    path.join(root, "docs", "performance-latency.svg"),
    latencyChart(saved.rows, {
      title: `Latency by system — ${saved.machine.cores} cores, ${saved.connections} connections (${saved.date.slice(0, 10)})`,
    }),
  );
  const documented = updateDoc(markdown, machine, date, benchSeconds);
  console.log(
    `\nWrote bench/results/compare.json and docs/performance-latency.svg${documented ? "; updated docs/performance.md" : ""}.`,
  );
  if (benchSeconds) console.log(`Whole bench: ${benchSeconds.toFixed(0)} s.`);
}
