// The processes below one process, read from /proc (Linux): what `npm start` runs, for its tests and the bench.
import { readdirSync, readFileSync } from "node:fs";

/** Every live process below `pid` (not `pid` itself), parents before their children. */
export function descendantsOf(pid) {
  const parents = new Map();
  for (const entry of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      parents.set(Number(entry), Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ")[1]));
    } catch {}
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  return tree.slice(1);
}

/** Resident memory of a process in MB (0 once it is gone). */
export function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
