// Finds the app runners' workerd processes among this process's descendants: the `workerd serve` processes whose
// config is a runner's (scripts/runner-process.mjs writes `runners/runner-<k>.capnp`), by runner index.
import { readFileSync } from "node:fs";
import { descendantsOf, rssMb } from "../../scripts/process-tree.mjs";

function read(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** The workerd pid of each runner under this process, by runner index (holes while one restarts). */
export function runnerWorkerdPids() {
  const pids = [];
  for (const pid of descendantsOf(process.pid)) {
    const match = /workerd\0serve\0[\s\S]*runner-(\d+)\.capnp/.exec(read(`/proc/${pid}/cmdline`));
    if (match) pids[Number(match[1])] = pid;
  }
  return pids;
}

/** Runner `index`'s workerd pid (default runner 0), or null. */
export function runnerWorkerdPid(index = 0) {
  return runnerWorkerdPids()[index] ?? null;
}

/** Resident memory of a process in MiB (0 if it is gone): VmRSS in kB ÷ 1024, as process-tree.mjs reads it. */
export const rssMiB = rssMb;

/** Resident memory of every runner together, in MiB. */
export function runnersRssMiB() {
  return runnerWorkerdPids().reduce((sum, pid) => sum + (pid ? rssMiB(pid) : 0), 0);
}
