// The watchdog of one local runner process: starts it, reads its request marks, checks its health and memory every
// tick, kills it when app code hangs it or grows it past the ceiling, and starts it again. Each kill or unexpected
// exit is reported with what the marks and the last health check said, so the control plane can blame the one
// request that caused it, and nobody when many apps simply grew the runner.
import http from "node:http";
import { rssMb } from "./process-tree.mjs";
import { registerRunner, startRunnerProcess } from "./runner-process.mjs";

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

/** GET `urlPath` of 127.0.0.1:`port`; status 0 when it failed or took longer than `timeoutMs`. */
export function httpGet(port, urlPath, timeoutMs, host = `localhost:${port}`, headers = {}) {
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

/**
 * The runner's request marks (worker/src/isolates/request-marks.ts), read from its stdout: which requests entered app
 * code and have not left it, in the order they entered. Lines with another secret (an app printing look-alikes)
 * are ignored.
 */
export function requestMarks(secret) {
  const pattern = /^KILN_MARK (\S+) (enter|exit) (\S+)(?: (\S+) (preview|live) (\S+))?/;
  let running = new Map();
  let lastEntered = null;
  return {
    /** Reads one line; false when it is not a mark. */
    take(line) {
      const match = pattern.exec(line);
      if (!match) return false;
      if (match[1] !== secret) return true;
      const [, , kind, requestId, appId, environment, version] = match;
      running.delete(requestId);
      if (kind === "enter" && appId) {
        lastEntered = { requestId, appId, environment, version, startedAt: Date.now() };
        running.set(requestId, lastEntered);
        if (running.size > 1000) running.delete(running.keys().next().value);
      }
      return true;
    },
    /** What the marks say at a kill or crash; starts over for the next process. */
    report() {
      const out = { running: [...running.values()], ...(lastEntered ? { lastEntered } : {}) };
      running = new Map();
      lastEntered = null;
      return out;
    },
  };
}

/** Calls `onLine` with each complete line of `stream`. */
function eachLine(stream, onLine) {
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop();
    for (const line of lines) onLine(line);
  });
}

/**
 * Watches runner `index`: `configFile` from writeRunnerConfig, `port` its HTTP socket, `report(event)` hears each
 * kill or crash (already carrying `runner: index`), `log(text)` its other output. `freePort()` gives each start a
 * new debug port. Call `tick()` every health interval; `stop()` ends the process.
 */
export function watchRunner({ index, port, configFile, secrets, registry, settings, log, report, freePort }) {
  const marks = requestMarks(secrets.KILN_MARK_SECRET);
  let child = null;
  let registration = null;
  let stopped = false;
  let expectedExit = false;
  let recentStderr = "";
  let startedAt = 0;
  let quickExits = 0;
  let misses = 0;
  let graceUntil = 0;
  let baselineRss = Infinity;
  /** Recent readings of the runner's RSS, to tell one request's allocation from many apps' growth. */
  let rssHistory = [];
  let lastInProgress = [];
  let earlierIds = new Set();
  let hungSince = null;
  let lastHealthyAt = null;

  const start = async () => {
    const debugPort = await freePort();
    if (stopped) return;
    const started = startRunnerProcess(configFile, { debugPort, secrets });
    child = started;
    startedAt = Date.now();
    graceUntil = startedAt + settings.restartGraceMs;
    misses = 0;
    registration?.withdraw();
    registration = registerRunner(registry, index, debugPort);
    eachLine(started.stdout, (line) => marks.take(line) || log(`${line}\n`));
    eachLine(started.stderr, (line) => {
      recentStderr = `${recentStderr}${line}\n`.slice(-4000);
      log(`${line}\n`);
    });
    started.once("exit", () => onExit(started));
  };

  const onExit = async (exited) => {
    if (stopped || exited !== child) return;
    child = null;
    if (expectedExit) {
      expectedExit = false;
    } else {
      const heap = /heap limit|out of memory|allocation failed/i.test(recentStderr);
      await send(
        heap ? "memory_budget" : "crash",
        heap ? "the runner ran out of memory" : "the runner process exited unexpectedly",
      );
    }
    recentStderr = "";
    // A runner that cannot even start (a broken config, a port taken) is retried ever more slowly, not in a loop.
    quickExits = Date.now() - startedAt < 2000 ? quickExits + 1 : 0;
    const delay = Math.min(5000, quickExits === 0 ? 0 : 100 * 2 ** quickExits);
    setTimeout(() => start().catch((error) => log(`could not start the runner: ${error}\n`)), delay);
  };

  /** Whether the runner grew by an app's budget within the window (false: many apps, not one request). */
  const suddenGrowth = (rssNow) => {
    const since = Date.now() - settings.growthWindowMs;
    const earlier = rssHistory.filter((r) => r.at >= since).map((r) => r.mb);
    return earlier.length === 0 || rssNow - Math.min(...earlier) >= settings.appMemoryMb;
  };

  const send = async (reason, detail, attributable = true) => {
    // Requests that first showed up at the last good check began just before the runner stopped.
    const newlyStarted = lastInProgress.filter((r) => !earlierIds.has(r.requestId)).map((r) => r.requestId);
    const event = {
      reason,
      at: Date.now(),
      runner: index,
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
    await report(event);
  };

  const kill = async (reason, detail, attributable = true) => {
    const victim = child;
    if (!victim) return;
    expectedExit = true;
    try {
      victim.kill("SIGKILL");
    } catch {}
    await send(reason, detail, attributable);
  };

  const tick = async () => {
    if (stopped || !child || expectedExit) return;
    const pid = child.pid;
    const now = Date.now();
    const rss = rssMb(pid);
    if (rss > settings.memoryCeilingMb) {
      const sudden = suddenGrowth(rss);
      await kill(
        "memory_budget",
        sudden
          ? `the runner used more than ${settings.memoryCeilingMb} MB`
          : `the runner used more than ${settings.memoryCeilingMb} MB, grown slowly across many apps (no one request took more than ${settings.appMemoryMb} MB)`,
        sudden,
      );
      return;
    }
    if (rss > 0) {
      rssHistory.push({ at: now, mb: rss });
      rssHistory = rssHistory.filter((r) => r.at >= now - settings.growthWindowMs);
    }
    const sentAt = Date.now();
    const health = await httpGet(port, "/health", settings.healthTimeoutMs);
    if (!child || child.pid !== pid || expectedExit) return;
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
    if (Date.now() < graceUntil) return;
    misses += 1;
    if (misses < settings.missesBeforeKill) return;
    // A heap bomb also stops health checks, so memory says which budget it was.
    // The reading taken before the health check is a timeout old: read it again.
    const rssNow = rssMb(pid);
    if (rssNow > settings.memoryCeilingMb || rssNow - baselineRss > 400) {
      await kill(
        "memory_budget",
        `the runner's memory grew by ${Math.round(rssNow - baselineRss)} MB while it stopped answering`,
        suddenGrowth(rssNow),
      );
      return;
    }
    // Still climbing fast (a slow machine's heap bomb): give the ceiling a few more checks to decide.
    if (rssNow - rss > 50 && misses < settings.missesBeforeKill + 4) return;
    await kill(
      "time_budget",
      `the runner did not answer for ${Math.round(((settings.healthIntervalMs + settings.healthTimeoutMs) * misses) / 100) / 10} s`,
    );
  };

  return {
    index,
    port,
    start,
    tick,
    /** The runner's workerd pid now (null while it restarts). */
    pid: () => child?.pid ?? null,
    /** Ends the runner for good: SIGTERM, then SIGKILL after `graceMs`. */
    async stop(graceMs = 1500) {
      stopped = true;
      registration?.withdraw();
      const last = child;
      if (!last || last.exitCode !== null || last.signalCode !== null) return;
      const gone = new Promise((resolve) => last.once("exit", resolve));
      last.kill("SIGTERM");
      const timer = setTimeout(() => last.kill("SIGKILL"), graceMs);
      await gone;
      clearTimeout(timer);
    },
  };
}
