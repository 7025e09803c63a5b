// Bundles the control plane, the runner and the local front door once, as `wrangler deploy` would, into worker/generated/dist/<name>/,
// with the miniflare options wrangler derives from each config (`miniflare-options.json`: bindings, storage, assets).
// `npm start`, the tests and the bench run these bundles on workerd directly (scripts/control-plane.mjs,
// scripts/runner-process.mjs), so nothing compiles while requests are served, and the processes that serve never
// load wrangler. A bundle newer than every source it is made of is reused. `node scripts/build-workers.mjs` builds them alone.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// Run with this Node (the project's Node 22 under npm), whatever `node` is first on PATH.
const wranglerJs = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");

/** The Workers `npm start` runs, by name, with their wrangler config (the front door is local only). */
export const WORKERS = {
  kiln: "wrangler.jsonc",
  "kiln-runner": "wrangler.runner.jsonc",
  "kiln-front": "wrangler.front.jsonc",
};

// What a bundle is made of. worker/generated is left out: the control plane's build step rewrites it each time
// (from sources that are listed here).
const SOURCES = [
  "worker/src",
  "worker/sdk",
  "connectors",
  "templates",
  "web/.svelte-kit/cloudflare",
  "package-lock.json",
];

/** Where a Worker's bundle lives. */
export function bundleDir(name) {
  return path.join(root, "worker", "generated", "dist", name);
}

/**
 * Builds each Worker whose bundle is missing or older than its sources; returns their folders by name.
 * `log` hears what was built and how long it took.
 */
export function buildWorkers({ log = () => {} } = {}) {
  const newestSource = Math.max(...SOURCES.map((p) => newestMtime(path.join(root, p))), ...configTimes());
  const dirs = {};
  for (const [name, config] of Object.entries(WORKERS)) {
    const dir = bundleDir(name);
    const stamp = path.join(dir, ".built");
    dirs[name] = dir;
    if (existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource) continue;
    const started = Date.now();
    execFileSync(process.execPath, [wranglerJs, "deploy", "--dry-run", "-c", config, "--outdir", dir], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" },
    });
    // In a child process: wrangler's modules are large, and whoever called this keeps running.
    execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--options", config, dir], {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
    });
    writeFileSync(stamp, new Date().toISOString());
    log(`built ${name} in ${Date.now() - started} ms`);
  }
  return dirs;
}

function configTimes() {
  return Object.values(WORKERS).map((config) => statSync(path.join(root, config)).mtimeMs);
}

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

/** Writes the v4 miniflare options of `config` (declared variables only, never `.dev.vars`) into `dir`. */
async function writeMiniflareOptions(config, dir) {
  const { unstable_getMiniflareWorkerOptions, unstable_readConfig } = await import("wrangler");
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(root, config));
  const declared = unstable_readConfig({ config: path.join(root, config) }).vars ?? {};
  const { modulesRules: _rules, bindings: _all, ...rest } = workerOptions;
  writeFileSync(path.join(dir, "miniflare-options.json"), JSON.stringify({ ...rest, bindings: declared }, null, 2));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === "--options") await writeMiniflareOptions(process.argv[3], process.argv[4]);
  else buildWorkers({ log: console.log });
}
