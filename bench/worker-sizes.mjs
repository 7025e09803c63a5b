// How big each Worker is as `wrangler deploy` uploads it, gzipped, against Cloudflare's Worker size limits
// (10 MB compressed on the paid plan, 3 MB on the free one), and how long its startup (evaluating its global scope)
// takes in workerd, against Cloudflare's 1 s startup limit. What every request loads should stay small; what only
// builds need (the bundler, TypeScript) is what makes the control plane large.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { WORKERS, buildWorkers } from "../scripts/build-workers.mjs";

/** Cloudflare's limits on a Worker's compressed size, in bytes. */
export const SIZE_LIMITS = { paid: 10 * 1024 * 1024, free: 3 * 1024 * 1024 };
/** Cloudflare's limit on a Worker's startup (its global scope, run when an isolate is created), in ms. */
export const STARTUP_LIMIT_MS = 1000;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * How long each Worker's startup takes in workerd: the CPU time sampled in the profile `wrangler check startup`
 * records while workerd evaluates the deployed bundle's global scope (ms; null when wrangler could not profile it).
 * The config goes to its `wrangler deploy` too (`--args`): without it, check startup profiles wrangler.jsonc.
 */
export function workerStartupMs() {
  const out = mkdtempSync(path.join(tmpdir(), "kiln-startup-"));
  const wrangler = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");
  try {
    return Object.entries(WORKERS).map(([name, config]) => {
      const file = path.join(out, `${name}.cpuprofile`);
      try {
        execFileSync(
          process.execPath,
          [wrangler, "check", "startup", "-c", config, `--args=-c ${config}`, "--outfile", file],
          {
            cwd: root,
            stdio: "ignore",
            env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" },
            timeout: 180_000,
          },
        );
        return { name, ms: busyMs(JSON.parse(readFileSync(file, "utf8"))) };
      } catch {
        return { name, ms: null };
      }
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

// The profile starts before workerd loads the Worker: its first interval and idle samples are not startup.
function busyMs(profile) {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
  let micros = 0;
  for (let i = 1; i < profile.samples.length; i++) if (!idle.has(profile.samples[i])) micros += profile.timeDeltas[i];
  return micros / 1000;
}

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

/** Prints each Worker's size and startup time and the limits they fit. */
export function printWorkerSizes(sizes, startups = []) {
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  console.log("\nWorker sizes as deployed (modules, gzipped):");
  for (const s of sizes) {
    const paid = s.gzipped <= SIZE_LIMITS.paid;
    const free = s.gzipped <= SIZE_LIMITS.free;
    console.log(
      `  ${s.name.padEnd(12)} ${mb(s.raw).padStart(9)} raw, ${mb(s.gzipped).padStart(8)} gzipped in ${s.files} files · ≤ 10 MB (paid) ${paid ? "✓" : "✗"} · ≤ 3 MB (free) ${free ? "✓" : "✗"}`,
    );
  }
  if (startups.length === 0) return;
  console.log(
    `Worker startup in workerd (CPU sampled by \`wrangler check startup\` while its global scope runs), against Cloudflare's ${STARTUP_LIMIT_MS} ms limit:`,
  );
  for (const s of startups)
    console.log(
      `  ${s.name.padEnd(12)} ${s.ms === null ? "could not be profiled ✗" : `${s.ms.toFixed(0)} ms ${s.ms <= STARTUP_LIMIT_MS ? "✓" : "✗"}`}`,
    );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printWorkerSizes(workerSizes(), workerStartupMs());
