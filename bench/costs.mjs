// Where a warm app request's time goes on this runtime, measured in one
// workerd process under wrangler dev: CPU per request of each step Kiln
// cannot avoid (wrangler's proxy, a Dynamic Worker, a tail, a Durable Object
// read through an entrypoint). It explains the floor/app ratio of run.mjs.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { unstable_startWorker } from "wrangler";
import { freePort } from "../scripts/supervisor.mjs";
import { closedLoop } from "./load.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const STEPS = [
  ["/plain", "plain route (the floor)"],
  ["/durable-object", "floor + one Durable Object read"],
  ["/app", "floor + a cached Dynamic Worker"],
  ["/app-tail", "… + a tail on it"],
  ["/app-tail-db", "… + a row read through an entrypoint and a Durable Object"],
];

// CPU time (ms) of this process and every process it started (the workerd pair), by pid.
function cpuByProcess() {
  const stats = new Map();
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      stats.set(Number(pid), {
        parent: Number(fields[1]),
        ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100,
      });
    } catch {}
  }
  const out = new Map();
  for (const [pid, stat] of stats) {
    let ancestor = stat.parent;
    while (ancestor > 1 && ancestor !== process.pid) ancestor = stats.get(ancestor)?.parent ?? 0;
    if (ancestor === process.pid) out.set(pid, stat.ms);
  }
  return out;
}

/** Runs each step under load; returns rows of { label, p50, rps, cpuUs }. */
export async function measureCosts({ seconds = 4, connections = 16 } = {}) {
  const port = await freePort();
  const persist = mkdtempSync(path.join(tmpdir(), "kiln-costs-"));
  const worker = await unstable_startWorker({
    config: path.join(here, "costs", "wrangler.jsonc"),
    dev: { server: { hostname: "127.0.0.1", port }, inspector: false, watch: false, persist, logLevel: "error" },
  });
  await worker.ready;
  const rows = [];
  try {
    for (const [urlPath, label] of STEPS) {
      await closedLoop({ port, host: "localhost", path: urlPath, connections, seconds: 1 });
      const before = cpuByProcess();
      const result = await closedLoop({ port, host: "localhost", path: urlPath, connections, seconds });
      const after = cpuByProcess();
      if (result.errors > 0) throw new Error(`${urlPath}: ${result.errors} failed requests`);
      let serverMs = 0;
      for (const [pid, ms] of after) serverMs += ms - (before.get(pid) ?? ms);
      rows.push({ label, p50: result.p50, rps: result.rps, cpuUs: (serverMs * 1000) / result.total });
    }
  } finally {
    await worker.dispose();
    rmSync(persist, { recursive: true, force: true });
  }
  return rows;
}

/** Prints the table, each step relative to the floor. */
export function printCosts(rows) {
  const floor = rows[0];
  console.log("\nWhere a warm app request's time goes — one workerd process under wrangler dev, no Kiln code\n");
  console.log("| step | server CPU µs/request | × floor CPU | p50 ms | req/s |");
  console.log("|---|---:|---:|---:|---:|");
  for (const r of rows)
    console.log(
      `| ${r.label} | ${r.cpuUs.toFixed(0)} | ${(r.cpuUs / floor.cpuUs).toFixed(2)} | ${r.p50.toFixed(2)} | ${r.rps.toFixed(0)} |`,
    );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printCosts(await measureCosts());
