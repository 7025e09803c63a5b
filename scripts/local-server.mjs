// Starts a local Kiln for `npm start`, the browser tests, the attack tests and
// the benchmark: the control plane, the app runners and the front door as
// workerd processes under the supervisor. D1 migrations are applied to the same
// persistence directory first, so a fresh clone needs no manual step.
import { execFileSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeUpstreams } from "../connectors/testing/start-fakes.ts";
import { ensureDevVars } from "./dev-vars.mjs";
import { startSupervisedKiln } from "./supervisor.mjs";

export { freePort } from "./supervisor.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const wranglerBin = path.join(root, "node_modules", ".bin", "wrangler");

/** Applies the platform's D1 migrations to a local persistence directory. */
export function applyLocalMigrations(persistTo) {
  const args = ["d1", "migrations", "apply", "DB", "--local"];
  if (persistTo) args.push("--persist-to", persistTo);
  execFileSync(wranglerBin, args, {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, CI: "1" },
  });
}

/** Resolves once GET /api/health answers 200, or rejects after `timeoutMs`. */
export async function waitForHealth(port, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const req = http.get(
        { host: "127.0.0.1", port, path: "/api/health", headers: { host: `localhost:${port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        },
      );
      req.on("error", () => resolve(false));
      req.setTimeout(2000, () => req.destroy());
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Kiln did not answer on port ${port} within ${timeoutMs} ms`);
}

/**
 * Starts Kiln on `port`; returns { url, port, stop, events }. `persistTo`
 * keeps local D1, R2 and Durable Object state in that folder (default
 * .wrangler/state). `logFile` receives both processes' output ("inherit"
 * prints it, undefined drops it); `watchdog` tunes the runner supervisor;
 * `runners` is how many runner processes (default: KILN_RUNNERS, else one per core); `listenFd` a listening
 * socket to serve instead of binding `port` (systemd socket activation).
 * `demo` (default: on unless KILN_DEMO=0) starts the loopback fakes of
 * Stripe, Airtable and Google and offers demo connections backed by them;
 * while it is on, every connection of those services goes to the fakes.
 */
export async function startKiln({
  port = 8787,
  persistTo,
  logFile,
  stdio,
  vars = {},
  watchdog,
  runners,
  listenFd = null,
  demo = process.env.KILN_DEMO !== "0",
} = {}) {
  applyLocalMigrations(persistTo);
  // The vault's master key: generated into .dev.vars on first start, never committed.
  const secrets = ensureDevVars({ log: () => {} });
  const fakes = demo ? await startFakeUpstreams() : null;
  const platformVars = { ...secrets, ...(fakes ? { ...fakes.vars, KILN_DEMO_CONNECTIONS: "1" } : {}), ...vars };
  const sink = logFile ? createWriteStream(logFile, { flags: "a" }) : null;
  const onLog =
    stdio === "inherit"
      ? (name, text) => process.stdout.write(text.replace(/^/gm, `[${name}] `).replace(/\[\w+\] $/, ""))
      : sink
        ? (name, text) => sink.write(text.replace(/^/gm, `[${name}] `).replace(/\[\w+\] $/, ""))
        : undefined;
  const kiln = await startSupervisedKiln({
    port,
    persistTo,
    vars: platformVars,
    watchdog,
    runners,
    listenFd,
    onLog,
  });
  await waitForHealth(port);
  return {
    ...kiln,
    demo: fakes !== null,
    async stop() {
      await kiln.stop();
      await fakes?.close();
      sink?.end();
    },
  };
}
