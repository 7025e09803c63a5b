// Local supervisor: runs the control plane, N app runners and the front door as separate workerd processes, and
// keeps each runner healthy (scripts/runner-watchdog.mjs). A runner that stops answering health checks (a hang) or
// grows past the memory ceiling is killed and started again; one that dies on its own is noticed. Each time, the
// control plane is told why, so it can attribute the lost request and pause repeat offenders. Apps of the other
// runners never notice.
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { moveAppDatabases } from "./app-data-move.mjs";
import { buildWorkers } from "./build-workers.mjs";
import { startControlPlane } from "./control-plane.mjs";
import { readDevVars } from "./dev-vars.mjs";
import { startFrontDoor, writeFrontConfig } from "./front-door.mjs";
import { runnerName, runnerStorageDir, writeRunnerConfig } from "./runner-process.mjs";
import { WATCHDOG_DEFAULTS, httpGet, watchRunner } from "./runner-watchdog.mjs";

export { WATCHDOG_DEFAULTS };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

function post(port, urlPath, body, headers) {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path: urlPath,
        method: "POST",
        headers: { host: `localhost:${port}`, "content-type": "application/json", ...headers },
        timeout: 5000,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      },
    );
    req.on("error", () => resolve(0));
    req.on("timeout", () => req.destroy());
    req.end(payload);
  });
}

/** The platform's one cron trigger (wrangler.jsonc `triggers.crons`), which `npm start` fires itself. */
const MINUTE_CRON = "* * * * *";

/**
 * Stands in for Cloudflare's cron trigger locally: a second after each minute
 * boundary, runs the control plane's real `scheduled` handler through
 * miniflare's trigger endpoint with that minute as `scheduledTime`, as
 * Cloudflare would. Failures go to the log; `stop()` ends the timer.
 */
function startMinuteTicks(port, onLog, offsetMs = 1000) {
  let stopped = false;
  let timer = null;
  const fire = async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const query = new URLSearchParams({ cron: MINUTE_CRON, time: String(minute) });
    const answer = await httpGet(port, `/cdn-cgi/local/scheduled?${query}`, 50_000);
    // After stop() the control plane is going away (and the log may be closed): nothing to report.
    if (answer.status === 200 || stopped) return;
    const why =
      answer.status === 0 ? "the control plane did not answer" : `${answer.status} ${answer.body.slice(0, 300)}`;
    onLog?.("supervisor", `the minute tick for ${new Date(minute).toISOString()} failed: ${why}\n`);
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        fire()
          .catch((error) => !stopped && onLog?.("supervisor", `the minute tick failed: ${error}\n`))
          .finally(schedule);
      },
      60_000 - (Date.now() % 60_000) + offsetMs,
    );
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

function killGroup(child, signal = "SIGKILL") {
  try {
    process.kill(-child.pid, signal);
  } catch {}
}

/** A full garbage collection now (V8's `gc`, reached without asking `npm start` for --expose-gc). */
function collectGarbage() {
  v8.setFlagsFromString("--expose-gc");
  runInNewContext("gc")();
}

/** How many runners `npm start` runs: KILN_RUNNERS, else one per core. */
export function defaultRunnerCount() {
  const chosen = Number(process.env.KILN_RUNNERS);
  return Number.isInteger(chosen) && chosen > 0 ? chosen : availableParallelism();
}

/**
 * Starts Kiln under supervision, with the minute tick that runs automations. Returns { url, port, runnerPorts,
 * runnerPort (runner 0's), controlPort, runnerPids(), runnerReachable(k), stop(), events } where `events` lists
 * every runner restart with its reason and runner index. `listenFd`: a listening socket to serve instead of `port`
 * (systemd socket activation; `port` still names the host visitors use).
 */
export async function startSupervisedKiln({
  port,
  persistTo,
  vars = {},
  watchdog = {},
  runners,
  listenFd = null,
  onLog,
} = {}) {
  const settings = { ...WATCHDOG_DEFAULTS, ...watchdog };
  const count = runners ?? defaultRunnerCount();
  const stateRoot = path.resolve(root, persistTo ?? ".wrangler/state");
  const registry = path.join(stateRoot, "registry");
  rmSync(registry, { recursive: true, force: true });
  mkdirSync(registry, { recursive: true });
  const secret = randomBytes(24).toString("hex");
  const runnerSecrets = {
    KILN_MARK_SECRET: randomBytes(12).toString("hex"),
    KILN_FRONT_SECRET: randomBytes(24).toString("hex"),
  };
  const controlPort = await freePort();
  // Where runners call the control plane's RunnerCapabilities (JS RPC over a socket, no dev registry lookup).
  const capabilitiesPort = await freePort();
  // Where the front door sends `/api/*`: straight into the control plane's PlatformEntry (no miniflare entry worker).
  const controlApiPort = await freePort();
  const runnerPorts = [];
  for (let i = 0; i < count; i++) runnerPorts.push(await freePort());
  const appsDomain = `localhost:${port}`;
  const log = (name, text) => onLog?.(name, text);
  const bundles = buildWorkers({ log: (line) => log("supervisor", `${line}\n`) });
  const runnerBindings = {};
  // APP_DATA itself (used only when app code runs in the control plane) points at runner 0, so no namespace of app
  // databases is ever created in the control plane's own storage again.
  const runnerDatabases = { APP_DATA: { className: "AppDataStore", scriptName: runnerName(0) } };
  for (let i = 0; i < count; i++) {
    runnerBindings[`RUNNER_${i}`] = { name: runnerName(i) };
    // App databases live in the runners, beside the apps' isolates: reads there are in-process calls.
    runnerDatabases[`APP_DATA_${i}`] = { className: "AppDataStore", scriptName: runnerName(i) };
  }
  const controlOptions = {
    name: "kiln",
    bundleDir: bundles.kiln,
    port: controlPort,
    persist: stateRoot,
    registry,
    directSockets: [
      { host: "127.0.0.1", port: capabilitiesPort, entrypoint: "RunnerCapabilities" },
      { host: "127.0.0.1", port: controlApiPort, entrypoint: "PlatformEntry" },
    ],
    // `.dev.vars` overrides the config's variables, as under wrangler; the caller's `vars` override both.
    bindings: {
      ...readDevVars(),
      APPS_DOMAIN: appsDomain,
      KILN_URL: `http://${appsDomain}`,
      KILN_INTERNAL_SECRET: secret,
      RUNNER_COUNT: String(count),
      ...vars,
    },
    serviceBindings: runnerBindings,
    durableObjects: runnerDatabases,
  };
  const moved = await moveAppDatabases(stateRoot, count);
  if (moved > 0) log("supervisor", `moved ${moved} app databases to the runner that serves their app\n`);
  const frontConfig = writeFrontConfig({
    dir: path.join(stateRoot, "front"),
    bundleDir: bundles["kiln-front"],
    port,
    // The web UI keeps miniflare's entry (its assets router serves the UI's files); the API takes a direct socket.
    controlPort,
    controlApiPort,
    runnerPorts,
    appsDomain,
  });

  const events = [];
  const report = async (event) => {
    events.push(event);
    await post(controlPort, "/api/internal/runner-events", event, { "x-kiln-internal-secret": secret });
  };
  const watchdogs = runnerPorts.map((runnerPort, index) =>
    watchRunner({
      index,
      port: runnerPort,
      configFile: writeRunnerConfig({
        dir: path.join(stateRoot, "runners"),
        bundleDir: bundles["kiln-runner"],
        index,
        port: runnerPort,
        controlAddress: `127.0.0.1:${capabilitiesPort}`,
        storageDir: runnerStorageDir(stateRoot, index),
        vars: { APPS_DOMAIN: appsDomain },
      }),
      secrets: runnerSecrets,
      registry,
      settings,
      log: (text) => log(`runner-${index}`, text),
      report,
      freePort,
    }),
  );
  const [control] = await Promise.all([
    startControlPlane(controlOptions, (text) => log("control", text)),
    ...watchdogs.map((w) => w.start()),
  ]);
  // Building the control plane's options read its whole bundle into this process; what miniflare does not keep can go.
  collectGarbage();
  let stopped = false;
  // The socket visitors and the workspace reach: started last, so it never answers before what it forwards to.
  const startFront = () =>
    startFrontDoor(frontConfig, runnerSecrets.KILN_FRONT_SECRET, (text) => log("front", text), listenFd);
  let front = startFront();
  const keepFrontUp = () => {
    front.once("exit", () => {
      if (stopped) return;
      log("supervisor", "the front door exited; starting it again\n");
      front = startFront();
      keepFrontUp();
    });
  };
  keepFrontUp();
  /** Whether the control plane reaches runner `index` now (a new runner answers itself a moment earlier). */
  const runnerReachable = async (index = 0) => {
    const seen = await httpGet(controlPort, `/api/internal/runner-health?runner=${index}`, 1000, appsDomain, {
      "x-kiln-internal-secret": secret,
    });
    return seen.status === 200;
  };
  const deadline = Date.now() + 30_000;
  for (let i = 0; i < count; i++)
    while (Date.now() < deadline && !(await runnerReachable(i))) await new Promise((r) => setTimeout(r, 25));

  const minuteTicks = startMinuteTicks(controlPort, onLog);
  // Each runner is watched in its own loop: a slow check of one never delays another's.
  const loops = watchdogs.map(async (runner) => {
    while (!stopped) {
      const started = Date.now();
      await runner.tick().catch((error) => log("supervisor", `${error}\n`));
      await new Promise((r) => setTimeout(r, Math.max(0, settings.healthIntervalMs - (Date.now() - started))));
    }
  });

  return {
    url: `http://localhost:${port}`,
    port,
    runnerPort: runnerPorts[0],
    runnerPorts,
    controlPort,
    events,
    runnerReachable,
    /** The workerd pid of each runner now (null while one restarts). */
    runnerPids: () => watchdogs.map((w) => w.pid()),
    async stop() {
      stopped = true;
      minuteTicks.stop();
      await Promise.all(loops);
      killGroup(front, "SIGTERM");
      await Promise.all([
        control.dispose().catch(() => {}),
        ...watchdogs.map((w) => w.stop()),
        new Promise((r) => setTimeout(r, 1000)),
      ]);
      killGroup(front, "SIGKILL");
    },
  };
}
