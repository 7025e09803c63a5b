// Finds the app runner's workerd process (the one that runs app isolates)
// among this process's descendants, the way scripts/supervisor.mjs does: the
// supervisor's launcher child whose KILN_LAUNCH names wrangler.runner.jsonc,
// then the `workerd serve` under it (miniflare's, with a debug port).
import { readFileSync } from "node:fs";

function read(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

const childrenOf = (pid) => read(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/).filter(Boolean).map(Number);
const commandLine = (pid) => read(`/proc/${pid}/cmdline`).replace(/\0/g, " ");

function descendants(pid, depth = 4) {
  const out = [];
  for (const child of childrenOf(pid)) {
    out.push(child);
    if (depth > 0) out.push(...descendants(child, depth - 1));
  }
  return out;
}

/** The runner's code-running workerd pid under this process, or null. */
export function runnerWorkerdPid() {
  const launcher = childrenOf(process.pid).find((pid) =>
    /KILN_LAUNCH=[^\0]*wrangler\.runner\.jsonc/.test(read(`/proc/${pid}/environ`)),
  );
  if (launcher === undefined) return null;
  return (
    descendants(launcher).find(
      (pid) => /workerd serve/.test(commandLine(pid)) && /--debug-port|--inspector-addr/.test(commandLine(pid)),
    ) ?? null
  );
}

/** Resident memory of a process in MiB (0 if it is gone). */
export function rssMiB(pid) {
  const match = /VmRSS:\s+(\d+)/.exec(read(`/proc/${pid}/status`));
  return match ? Number(match[1]) / 1024 : 0;
}
