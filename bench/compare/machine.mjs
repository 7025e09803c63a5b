// The machine a bench ran on, so figures can be compared across runs.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import { workerdBinary } from "../../scripts/front-door.mjs";

const require = createRequire(import.meta.url);

/** { cores, cpu, ramGiB, os, node, workerd, wrangler }. */
export function describeMachine() {
  let workerd = "unknown";
  try {
    workerd = execFileSync(workerdBinary(), ["--version"], { encoding: "utf8" }).trim();
  } catch {}
  return {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? "unknown",
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    workerd,
    wrangler: require("wrangler/package.json").version,
  };
}
