// How big each Worker is as `wrangler deploy` uploads it, gzipped, against Cloudflare's Worker size limits
// (10 MB compressed on the paid plan, 3 MB on the free one). What every request loads should stay small; what only
// builds need (the bundler, TypeScript) is what makes the control plane large.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { WORKERS, buildWorkers } from "../scripts/build-workers.mjs";

/** Cloudflare's limits on a Worker's compressed size, in bytes. */
export const SIZE_LIMITS = { paid: 10 * 1024 * 1024, free: 3 * 1024 * 1024 };

/** Raw and gzipped bytes of each Worker's uploaded modules (source maps and notes excluded). */
export function workerSizes() {
  const dirs = buildWorkers();
  return Object.keys(WORKERS).map((name) => {
    const files = readdirSync(dirs[name]).filter((f) => f.endsWith(".js") || f.endsWith(".wasm"));
    let raw = 0;
    let gzipped = 0;
    for (const file of files) {
      const bytes = readFileSync(path.join(dirs[name], file));
      raw += bytes.length;
      gzipped += gzipSync(bytes, { level: 9 }).length;
    }
    return { name, files: files.length, raw, gzipped };
  });
}

/** Prints each Worker's size and the limits it fits. */
export function printWorkerSizes(sizes) {
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  console.log("\nWorker sizes as deployed (modules, gzipped):");
  for (const s of sizes) {
    const paid = s.gzipped <= SIZE_LIMITS.paid;
    const free = s.gzipped <= SIZE_LIMITS.free;
    console.log(
      `  ${s.name.padEnd(12)} ${mb(s.raw).padStart(9)} raw, ${mb(s.gzipped).padStart(8)} gzipped in ${s.files} files · ≤ 10 MB (paid) ${paid ? "✓" : "✗"} · ≤ 3 MB (free) ${free ? "✓" : "✗"}`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printWorkerSizes(workerSizes());
