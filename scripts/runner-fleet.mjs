// The app runners of one supervised Kiln, as one fleet: it writes each runner's workerd config, starts them all,
// waits until the control plane reaches each, then watches each in its own loop. The watching itself (health checks,
// kills, restarts) is scripts/runner-watchdog.mjs, one watchdog per runner; the fleet tells the control plane about
// every restart a watchdog reports, so it can charge the request that caused it, and keeps the list for the tests.
import http from "node:http";
import path from "node:path";
import { INTERNAL_SECRET_HEADER } from "../worker/src/core/headers.ts";
import { runnerStorageDir, writeRunnerConfig } from "./runner-process.mjs";
import { httpGet, watchRunner } from "./runner-watchdog.mjs";
import { freePort } from "./supervisor-layout.mjs";

/** POSTs `body` as JSON to 127.0.0.1:`port`; resolves with the status, 0 when the request failed. */
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

/**
 * The runners of `layout` (scripts/supervisor-layout.mjs), run from `bundleDir`. Lifecycle: `start()`, then
 * `waitUntilReachable()`, then `watch()`; `stopWatching()` and `stop()` at the end. `log(name, text)` hears each
 * runner's output under `runner-<k>`.
 */
export class RunnerFleet {
  /** Every restart reported so far, oldest first; one array for the fleet's life (callers read it as it grows). */
  events = [];
  #layout;
  #log;
  #watchdogs;
  #loops = [];
  #watching = false;

  /** Writes every runner's config now; starts nothing. */
  constructor(layout, bundleDir, log) {
    this.#layout = layout;
    this.#log = log;
    this.#watchdogs = layout.runnerPorts.map((runnerPort, index) =>
      watchRunner({
        index,
        port: runnerPort,
        configFile: writeRunnerConfig({
          dir: path.join(layout.stateRoot, "runners"),
          bundleDir,
          index,
          port: runnerPort,
          controlAddress: `127.0.0.1:${layout.capabilitiesPort}`,
          storageDir: runnerStorageDir(layout.stateRoot, index),
          vars: { APPS_DOMAIN: layout.appsDomain },
        }),
        secrets: layout.runnerSecrets,
        registry: layout.registry,
        settings: layout.settings,
        log: (text) => log(`runner-${index}`, text),
        report: (event) => this.#report(event),
        // Each start of a runner gets a new debug port.
        freePort,
      }),
    );
  }

  /** Starts every runner's process at once; resolves when all have been spawned. */
  start() {
    return Promise.all(this.#watchdogs.map((w) => w.start()));
  }

  /** Whether the control plane reaches runner `index` now (a new runner answers itself a moment earlier). */
  async reachable(index = 0) {
    const { controlPort, appsDomain, secret } = this.#layout;
    const seen = await httpGet(controlPort, `/api/internal/runner-health?runner=${index}`, 1000, appsDomain, {
      [INTERNAL_SECRET_HEADER]: secret,
    });
    return seen.status === 200;
  }

  /** Waits, runner by runner, until the control plane reaches each, or `timeoutMs` in all has passed. */
  async waitUntilReachable(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; i < this.#layout.count; i++)
      while (Date.now() < deadline && !(await this.reachable(i))) await new Promise((r) => setTimeout(r, 25));
  }

  /** Starts one watch loop per runner: a slow check of one never delays another's. */
  watch() {
    this.#watching = true;
    const { healthIntervalMs } = this.#layout.settings;
    this.#loops = this.#watchdogs.map(async (runner) => {
      while (this.#watching) {
        const started = Date.now();
        await runner.tick().catch((error) => this.#log("supervisor", `${error}\n`));
        await new Promise((r) => setTimeout(r, Math.max(0, healthIntervalMs - (Date.now() - started))));
      }
    });
  }

  /** The workerd pid of each runner now (null while one restarts). */
  pids() {
    return this.#watchdogs.map((w) => w.pid());
  }

  /** Ends the watch loops (no tick starts after this call); resolves when each loop's last tick is done. */
  async stopWatching() {
    this.#watching = false;
    await Promise.all(this.#loops);
  }

  /** Ends every runner process (each watchdog's SIGTERM, then SIGKILL). */
  stop() {
    return Promise.all(this.#watchdogs.map((w) => w.stop()));
  }

  /** A watchdog's report of a kill or crash: kept, and sent to the control plane's internal route. */
  async #report(event) {
    this.events.push(event);
    await post(this.#layout.controlPort, "/api/internal/runner-events", event, {
      [INTERNAL_SECRET_HEADER]: this.#layout.secret,
    });
  }
}
