// Memory of a fresh `npm start`: the resident set of every process it runs (the supervisor, the launchers, both
// workerd), right after it answers, before any app exists. Issue target: ≤ 800 MB.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitForHealth } from "../scripts/local-server.mjs";
import { descendantsOf, rssMb } from "../scripts/process-tree.mjs";
import { freePort } from "../scripts/supervisor.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** What a fresh `npm start` may hold in memory, in all its processes. */
export const START_MEMORY_TARGET_MB = 800;

/** Starts `scripts/start.mjs` alone, waits until it answers, and sums the RSS of its processes. */
export async function startMemory() {
  const port = await freePort();
  const state = mkdtempSync(path.join(tmpdir(), "kiln-start-memory-"));
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), KILN_STATE_DIR: state },
    stdio: "ignore",
  });
  try {
    await waitForHealth(port, 120_000);
    await new Promise((r) => setTimeout(r, 2000));
    const processes = [child.pid, ...descendantsOf(child.pid)].map((pid) => ({
      pid,
      mb: rssMb(pid),
      // The program and the script or subcommand it runs, without flags.
      command: readFileSync(`/proc/${pid}/cmdline`, "utf8")
        .split("\0")
        .filter((arg) => arg && !arg.startsWith("-"))
        .slice(0, 2)
        .map((arg) => (arg.startsWith(root) ? path.relative(root, arg) : path.basename(arg)))
        .join(" "),
    }));
    return { totalMb: processes.reduce((sum, p) => sum + p.mb, 0), processes };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    rmSync(state, { recursive: true, force: true });
  }
}

/** Prints the figure and its target. */
export function printStartMemory({ totalMb, processes }) {
  console.log(
    `\nMemory of a fresh \`npm start\` (no apps yet): ${totalMb.toFixed(0)} MB in ${processes.length} processes`,
  );
  for (const p of processes) console.log(`  ${p.mb.toFixed(0).padStart(5)} MB  ${p.command}`);
  const ok = totalMb <= START_MEMORY_TARGET_MB;
  console.log(`Target: ≤ ${START_MEMORY_TARGET_MB} MB: ${totalMb.toFixed(0)} MB ${ok ? "✓" : "✗"}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printStartMemory(await startMemory());
