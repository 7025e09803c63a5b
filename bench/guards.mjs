// (d) of `npm run bench`: what the loop guards cost a request. The same app is
// built with and without guards and measured inside workerd (a vitest run of
// bench/guards-workerd.bench.ts, ~25 s): the platform always builds with
// guards, so the comparison needs buildApp's `guards: false`, not a server.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MARKER = "KILN_GUARD_BENCH ";
/** Most extra time a normal request may take with guards (issue 3). */
export const GUARD_OVERHEAD_TARGET = 1.1;

/**
 * Runs the measurement; resolves a bench table row for the compute-heavy route
 * (per-request ms inside the isolate, guarded) whose label carries the
 * guarded ÷ unguarded ratio of every route, plus those ratios.
 */
export async function guardOverhead() {
  const output = await runVitest();
  const line = output.split("\n").find((l) => l.includes(MARKER));
  if (line === undefined) throw new Error(`guard bench printed no result:\n${output.slice(-2000)}`);
  // ratios: per route, the median over rounds of guarded ÷ unguarded time of two adjacent batches.
  const { result, routes, batch, rounds, ratios } = JSON.parse(line.slice(line.indexOf(MARKER) + MARKER.length));
  // The target is about a normal request (/json); the 100k-step loop of /compute is the worst case, reported as is.
  const normal = ratios["/json"];
  const compute = result["guarded /compute"];
  const listed = routes.map((route) => `${route} ${ratios[route].toFixed(2)}×`).join(", ");
  return {
    label: `(d) guard overhead, guarded ÷ unguarded time per request (${listed}; /json target ≤ ${GUARD_OVERHEAD_TARGET}× ${normal <= GUARD_OVERHEAD_TARGET ? "✓" : "✗"}); row: guarded /compute, in-isolate`,
    p50: compute.p50,
    p95: compute.p95,
    rps: 1000 / compute.mean,
    total: rounds * batch["/compute"],
    ratios,
  };
}

function runVitest() {
  return new Promise((resolve, reject) => {
    // The running Node (22, as the bench needs), whatever `node` is first on PATH.
    const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
    const child = spawn(process.execPath, [vitest, "run", "--config", "bench/guards.vitest.config.ts"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`guard bench failed (exit ${code}):\n${output.slice(-2000)}`)),
    );
  });
}
