// Local supervisor: runs the control plane and the app runner as separate
// workerd processes, and keeps the runner healthy. A runner that stops
// answering health checks (a hang) or grows past the memory ceiling is
// killed; one that dies on its own is noticed. Each time, the control plane
// is told why, so it can attribute the lost request and pause repeat offenders.
import { fork } from "node:child_process";
import { readFileSync, rmSync, mkdirSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { moveAppDatabases } from "./app-data-move.mjs";
import { buildWorkers } from "./build-workers.mjs";
import { readDevVars } from "./dev-vars.mjs";
import { startFrontDoor, writeFrontConfig } from "./front-door.mjs";
import { rssMb } from "./process-tree.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const launcher = path.join(root, "scripts", "launch-worker.mjs");

/** Defaults of the runner watchdog; all overridable per start. */
export const WATCHDOG_DEFAULTS = {
  healthIntervalMs: 300,
  healthTimeoutMs: 800,
  missesBeforeKill: 2,
  memoryCeilingMb: 1536,
  // What one app's isolate may take (Cloudflare's isolate limit): a memory kill names an app only when the runner
  // grew by this much within growthWindowMs, which one request's allocation does and many apps' slow growth does not.
  appMemoryMb: 128,
  growthWindowMs: 3000,
  restartGraceMs: 5000,
};

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

function get(port, urlPath, timeoutMs, host = `localhost:${port}`, headers = {}) {
  return new Promise((resolve) => {
    const options = { host: "127.0.0.1", port, path: urlPath, headers: { host, ...headers }, timeout: timeoutMs };
    const req = http.get(options, (res) => {
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve({ status: 0, body: "" }));
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

function childrenOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

/** The workerd process that runs the Worker's code: the launcher's own child (miniflare puts no proxy in front). */
function codeProcess(launcherPid) {
  const seen = [];
  const walk = (pid, depth) => {
    for (const child of childrenOf(pid)) {
      seen.push(child);
      if (depth < 2) walk(child, depth + 1);
    }
  };
  walk(launcherPid, 0);
  return seen.find((pid) => /workerd serve/.test(commandLine(pid))) ?? null;
}

function launch(name, options, log, onMessage) {
  const child = fork(launcher, [], {
    execArgv: ["--expose-gc"],
    cwd: root,
    env: { ...process.env, KILN_LAUNCH: JSON.stringify(options), WRANGLER_SEND_METRICS: "false", CI: "1" },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    detached: true,
  });
  child.stdout.on("data", (chunk) => log(name, chunk.toString()));
  if (onMessage) child.on("message", onMessage);
  child.stderr.on("data", (chunk) => log(name, chunk.toString()));
  const ready = new Promise((resolve, reject) => {
    child.on("message", (message) => message?.type === "ready" && resolve());
    child.on("exit", (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
  });
  return { child, ready };
}

/**
 * The runner's request marks, forwarded by its launcher: which requests
 * entered app code and have not left it, in the order they entered. Lines
 * with another secret (an app printing look-alikes) are ignored.
 */
function requestMarks(secret) {
  const pattern = /KILN_MARK (\S+) (enter|exit) (\S+)(?: (\S+) (preview|live) (\S+))?/;
  let running = new Map();
  let lastEntered = null;
  return {
    /** Reads one mark line. */
    take(line) {
      const match = pattern.exec(line);
      if (!match || match[1] !== secret) return;
      const [, , kind, requestId, appId, environment, version] = match;
      running.delete(requestId);
      if (kind === "enter" && appId) {
        lastEntered = { requestId, appId, environment, version, startedAt: Date.now() };
        running.set(requestId, lastEntered);
        if (running.size > 1000) running.delete(running.keys().next().value);
      }
    },
    /** What the marks say at a kill or crash; starts over for the next runner. */
    report() {
      const out = { running: [...running.values()], ...(lastEntered ? { lastEntered } : {}) };
      running = new Map();
      lastEntered = null;
      return out;
    },
  };
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
    const answer = await get(port, `/cdn-cgi/local/scheduled?${query}`, 50_000);
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

/**
 * Starts Kiln under supervision, with the minute tick that runs automations.
 * Returns { url, port, runnerPort, controlPort, stop(), events } where `events` lists
 * every runner restart with its reason.
 */
export async function startSupervisedKiln({ port, persistTo, vars = {}, watchdog = {}, onLog } = {}) {
  const settings = { ...WATCHDOG_DEFAULTS, ...watchdog };
  const stateRoot = path.resolve(root, persistTo ?? ".wrangler/state");
  const registry = path.join(stateRoot, "registry");
  rmSync(registry, { recursive: true, force: true });
  mkdirSync(registry, { recursive: true });
  const secret = randomBytes(24).toString("hex");
  const markSecret = randomBytes(12).toString("hex");
  const frontSecret = randomBytes(24).toString("hex");
  const runnerPort = await freePort();
  const runnerDirectPort = await freePort();
  const controlPort = await freePort();
  const appsDomain = `localhost:${port}`;
  let recentStderr = "";
  const marks = requestMarks(markSecret);
  // Marks arrive over IPC (launch-worker.mjs), never through this output.
  const log = (name, text) => {
    if (name === "runner") recentStderr = (recentStderr + text).slice(-4000);
    onLog?.(name, text);
  };
  const bundles = buildWorkers({ log: (line) => log("supervisor", `${line}\n`) });
  const controlOptions = {
    name: "kiln",
    config: path.join(root, "wrangler.jsonc"),
    bundleDir: bundles.kiln,
    port: controlPort,
    persist: stateRoot,
    registry,
    // `.dev.vars` overrides the config's variables, as under wrangler; the caller's `vars` override both.
    bindings: { ...readDevVars(), APPS_DOMAIN: appsDomain, KILN_INTERNAL_SECRET: secret, ...vars },
    serviceBindings: { RUNNER: { name: "kiln-runner" } },
    // App databases live in the runner, beside the apps' isolates: reads there are in-process calls.
    durableObjects: { APP_DATA: { className: "AppDataStore", scriptName: "kiln-runner" } },
  };
  // The runner's request marks are console.log lines (worker/src/runner/request-marks.ts), forwarded over IPC.
  const runnerOptions = {
    name: "kiln-runner",
    config: path.join(root, "wrangler.runner.jsonc"),
    bundleDir: bundles["kiln-runner"],
    port: runnerPort,
    directPort: runnerDirectPort,
    persist: path.join(stateRoot, "runner"),
    registry,
    forwardMarks: true,
    // Not the root .dev.vars: the runner holds no secret (egress and the vault live in the control plane).
    bindings: { KILN_MARK_SECRET: markSecret, KILN_FRONT_SECRET: frontSecret, APPS_DOMAIN: appsDomain },
  };
  const moved = await moveAppDatabases(stateRoot);
  if (moved > 0) log("supervisor", `moved ${moved} app databases into the runner's storage\n`);
  const frontConfig = writeFrontConfig({
    dir: path.join(stateRoot, "front"),
    bundleDir: bundles["kiln-front"],
    port,
    // Not a direct socket: with static assets, miniflare's entry worker is the cheaper way in (measured).
    controlPort,
    runnerPorts: [runnerDirectPort],
    appsDomain,
  });

  const onRunnerMessage = (message) => {
    if (message?.type === "marks") for (const line of message.lines) marks.take(line);
  };
  let runner = launch("runner", runnerOptions, log, onRunnerMessage);
  const control = launch("control", controlOptions, log);
  await Promise.all([runner.ready, control.ready]);
  let stopped = false;
  // The socket visitors and the workspace reach: started last, so it never answers before what it forwards to.
  let front = startFrontDoor(frontConfig, frontSecret, (text) => log("front", text));
  const keepFrontUp = () => {
    front.once("exit", () => {
      if (stopped) return;
      log("supervisor", "the front door exited; starting it again\n");
      front = startFrontDoor(frontConfig, frontSecret, (text) => log("front", text));
      keepFrontUp();
    });
  };
  keepFrontUp();
  /** Whether the control plane reaches the runner now (a new runner answers itself a moment earlier). */
  const runnerReachable = async () => {
    const seen = await get(controlPort, "/api/internal/runner-health", 1000, appsDomain, {
      "x-kiln-internal-secret": secret,
    });
    return seen.status === 200;
  };
  const controlReachesRunner = async () => {
    const deadline = Date.now() + settings.restartGraceMs;
    while (Date.now() < deadline && !(await runnerReachable())) await new Promise((r) => setTimeout(r, 25));
  };
  await controlReachesRunner();

  const events = [];
  let misses = 0;
  let graceUntil = 0;
  let knownPid = codeProcess(runner.child.pid);
  let killedAt = 0;
  let baselineRss = Infinity;
  /** Recent readings of the runner's RSS, to tell one request's allocation from many apps' growth. */
  let rssHistory = [];
  let lastInProgress = [];
  let earlierIds = new Set();
  let hungSince = null;
  let lastHealthyAt = null;

  /** Whether the runner's memory grew by an app's budget within the window (false: many apps, not one request). */
  const suddenGrowth = (rssNow) => {
    const since = Date.now() - settings.growthWindowMs;
    const earlier = rssHistory.filter((r) => r.at >= since).map((r) => r.mb);
    return earlier.length === 0 || rssNow - Math.min(...earlier) >= settings.appMemoryMb;
  };

  const report = async (reason, detail, attributable = true) => {
    // Requests that first showed up at the last good check began just before the runner stopped.
    const newlyStarted = lastInProgress.filter((r) => !earlierIds.has(r.requestId)).map((r) => r.requestId);
    const event = {
      reason,
      at: Date.now(),
      detail,
      ...(attributable ? {} : { attributable: false }),
      inProgress: lastInProgress,
      newlyStarted,
      ...marks.report(),
      ...(hungSince ? { hungSince } : {}),
      ...(lastHealthyAt ? { lastHealthyAt } : {}),
    };
    lastInProgress = [];
    earlierIds = new Set();
    hungSince = null;
    rssHistory = [];
    events.push(event);
    await post(controlPort, "/api/internal/runner-events", event, { "x-kiln-internal-secret": secret });
  };

  const killRunnerCode = async (reason, detail, attributable = true) => {
    const pid = codeProcess(runner.child.pid);
    killedAt = Date.now();
    graceUntil = killedAt + settings.restartGraceMs;
    misses = 0;
    if (pid) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
    knownPid = null;
    await report(reason, detail, attributable);
  };

  // Miniflare restarts a killed workerd by itself, on the same ports; if the runner is still not
  // healthy after the grace period, the whole launcher is replaced.
  const relaunch = async () => {
    killGroup(runner.child);
    rmSync(path.join(registry, "kiln-runner"), { force: true, recursive: true });
    runner = launch("runner", runnerOptions, log, onRunnerMessage);
    await runner.ready.catch(() => {});
    graceUntil = Date.now() + settings.restartGraceMs;
  };

  const tick = async () => {
    if (stopped) return;
    const pid = codeProcess(runner.child.pid);
    const now = Date.now();
    if (pid && knownPid && pid !== knownPid && now > graceUntil) {
      // A new workerd we did not cause: the old one died by itself.
      const heap = /heap limit|out of memory|allocation failed/i.test(recentStderr);
      recentStderr = "";
      await report(
        heap ? "memory_budget" : "crash",
        heap ? "the runner ran out of memory" : "the runner process exited unexpectedly",
      );
    }
    if (pid) knownPid = pid;
    const rss = pid ? rssMb(pid) : 0;
    if (pid && rss > settings.memoryCeilingMb) {
      const sudden = suddenGrowth(rss);
      await killRunnerCode(
        "memory_budget",
        sudden
          ? `the runner used more than ${settings.memoryCeilingMb} MB`
          : `the runner used more than ${settings.memoryCeilingMb} MB, grown slowly across many apps (no one request took more than ${settings.appMemoryMb} MB)`,
        sudden,
      );
      return;
    }
    if (pid) {
      rssHistory.push({ at: now, mb: rss });
      rssHistory = rssHistory.filter((r) => r.at >= now - settings.growthWindowMs);
    }
    const sentAt = Date.now();
    const health = await get(runnerPort, "/health", settings.healthTimeoutMs);
    if (health.status === 200) {
      misses = 0;
      graceUntil = 0;
      hungSince = null;
      lastHealthyAt = sentAt;
      if (rss > 0) baselineRss = Math.min(baselineRss, rss);
      earlierIds = new Set(lastInProgress.map((r) => r.requestId));
      try {
        lastInProgress = JSON.parse(health.body).inProgress ?? [];
      } catch {
        lastInProgress = [];
      }
      return;
    }
    hungSince ??= sentAt;
    if (now < graceUntil) return;
    if (graceUntil !== 0 && killedAt !== 0) {
      graceUntil = 0;
      await relaunch();
      return;
    }
    misses += 1;
    if (misses >= settings.missesBeforeKill) {
      // A heap bomb also stops health checks, so memory says which budget it was.
      // The reading taken before the health check is a timeout old: read it again.
      const rssNow = pid ? rssMb(pid) : 0;
      if (rssNow > settings.memoryCeilingMb || rssNow - baselineRss > 400) {
        await killRunnerCode(
          "memory_budget",
          `the runner's memory grew by ${Math.round(rssNow - baselineRss)} MB while it stopped answering`,
          suddenGrowth(rssNow),
        );
        return;
      }
      // Still climbing fast (a slow machine's heap bomb): give the ceiling a few more checks to decide.
      if (rssNow - rss > 50 && misses < settings.missesBeforeKill + 4) return;
      await killRunnerCode(
        "time_budget",
        `the runner did not answer for ${Math.round(((settings.healthIntervalMs + settings.healthTimeoutMs) * misses) / 100) / 10} s`,
      );
    }
  };

  const minuteTicks = startMinuteTicks(controlPort, onLog);

  const loop = (async () => {
    while (!stopped) {
      const started = Date.now();
      await tick().catch((error) => onLog?.("supervisor", `${error}\n`));
      await new Promise((r) => setTimeout(r, Math.max(0, settings.healthIntervalMs - (Date.now() - started))));
    }
  })();

  return {
    url: `http://localhost:${port}`,
    port,
    runnerPort,
    controlPort,
    events,
    /** Whether the control plane reaches the runner now (a restarted runner answers itself a moment earlier). */
    runnerReachable,
    async stop() {
      stopped = true;
      minuteTicks.stop();
      await loop;
      for (const child of [front, runner.child, control.child]) killGroup(child, "SIGTERM");
      await new Promise((r) => setTimeout(r, 1500));
      for (const child of [front, runner.child, control.child]) killGroup(child, "SIGKILL");
    },
  };
}
