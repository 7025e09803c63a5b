// Starts a local Kiln (wrangler dev on real workerd) for `npm start`, the
// browser tests and the benchmark. D1 migrations are applied to the same
// persistence directory first, so a fresh clone needs no manual step.
import { spawn, execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import http from "node:http";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const wranglerBin = path.join(root, "node_modules", ".bin", "wrangler");

/** Applies the platform's D1 migrations to a local persistence directory. */
export function applyLocalMigrations(persistTo) {
  const args = ["d1", "migrations", "apply", "DB", "--local"];
  if (persistTo) args.push("--persist-to", persistTo);
  execFileSync(wranglerBin, args, { cwd: root, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, CI: "1" } });
}

/** Resolves once GET /api/health answers 200, or rejects after `timeoutMs`. */
export async function waitForHealth(port, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const req = http.get({ host: "127.0.0.1", port, path: "/api/health", headers: { host: `localhost:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on("error", () => resolve(false));
      req.setTimeout(2000, () => req.destroy());
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Kiln did not answer on port ${port} within ${timeoutMs} ms`);
}

/**
 * Starts Kiln on `port`; returns { url, stop }. `persistTo` keeps local D1,
 * R2 and Durable Object state in that folder (default: .wrangler/state).
 */
export async function startKiln({ port = 8787, persistTo, stdio = "inherit", vars = {} } = {}) {
  applyLocalMigrations(persistTo);
  const args = ["dev", "--port", String(port), "--ip", "127.0.0.1", "--show-interactive-dev-session=false"];
  if (persistTo) args.push("--persist-to", persistTo);
  args.push("--var", `APPS_DOMAIN:localhost:${port}`);
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  const child = spawn(wranglerBin, args, { cwd: root, stdio, env: { ...process.env, WRANGLER_SEND_METRICS: "false" }, detached: true });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  try {
    await Promise.race([waitForHealth(port), exited.then((code) => { throw new Error(`wrangler dev exited with ${code}`); })]);
  } catch (error) {
    try { process.kill(-child.pid, "SIGKILL"); } catch {}
    throw error;
  }
  return {
    url: `http://localhost:${port}`,
    port,
    async stop() {
      try { process.kill(-child.pid, "SIGTERM"); } catch {}
      const timer = setTimeout(() => { try { process.kill(-child.pid, "SIGKILL"); } catch {} }, 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
