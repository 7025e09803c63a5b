// Local supervisor: runs the control plane, N app runners and the front door as separate workerd processes, and
// keeps each runner healthy (scripts/runner-watchdog.mjs). A runner that stops answering health checks (a hang) or
// grows past the memory ceiling is killed and started again; one that dies on its own is noticed. Each time, the
// control plane is told why, so it can attribute the lost request and pause repeat offenders. Apps of the other
// runners never notice.
//
// This file is the order of things; each part lives in its own module:
//   scripts/supervisor-layout.mjs  where everything lives and listens (ports, secrets, folders, control plane options)
//   scripts/control-plane.mjs      the control plane on workerd through miniflare, in this process
//   scripts/runner-fleet.mjs       the runners: configs, start, watch loops, restart reports to the control plane
//   scripts/front-door.mjs         the front door on `port`, started again whenever it exits (FrontDoorKeeper)
//   scripts/minute-ticks.mjs       the once-a-minute cron trigger Cloudflare would fire
import path from "node:path";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { moveAppDatabases } from "./app-data-move.mjs";
import { buildWorkers } from "./build-workers.mjs";
import { startControlPlane } from "./control-plane.mjs";
import { FrontDoorKeeper, writeFrontConfig } from "./front-door.mjs";
import { MinuteTicks } from "./minute-ticks.mjs";
import { RunnerFleet } from "./runner-fleet.mjs";
import { WATCHDOG_DEFAULTS } from "./runner-watchdog.mjs";
import { controlPlaneOptions, defaultRunnerCount, freePort, layOutKiln } from "./supervisor-layout.mjs";

/** Re-exported for callers that tune the watchdog (`watchdog` below) or quote its defaults (bench/scale.mjs). */
export { WATCHDOG_DEFAULTS };
/** Re-exported: tests and benchmarks pick their own ports with the supervisor's helper. */
export { freePort };
/** Re-exported: how many runners a start without `runners` runs (KILN_RUNNERS, else one per core). */
export { defaultRunnerCount };

/** A full garbage collection now (V8's `gc`, reached without asking `npm start` for --expose-gc). */
function collectGarbage() {
  v8.setFlagsFromString("--expose-gc");
  runInNewContext("gc")();
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
  // 1. Where everything lives and listens, decided once.
  const layout = await layOutKiln({ port, persistTo, watchdog, runners });
  const log = (name, text) => onLog?.(name, text);

  // 2. Everything written to disk before any process starts: bundles, moved databases, the front and runner configs.
  const bundles = buildWorkers({ log: (line) => log("supervisor", `${line}\n`) });
  const controlOptions = controlPlaneOptions(layout, bundles.kiln, vars);
  const moved = await moveAppDatabases(layout.stateRoot, layout.count);
  if (moved > 0) log("supervisor", `moved ${moved} app databases to the runner that serves their app\n`);
  const frontConfig = writeFrontConfig({
    dir: path.join(layout.stateRoot, "front"),
    bundleDir: bundles["kiln-front"],
    port,
    // The web UI keeps miniflare's entry (its assets router serves the UI's files); the API takes a direct socket.
    controlPort: layout.controlPort,
    controlApiPort: layout.controlApiPort,
    runnerPorts: layout.runnerPorts,
    appsDomain: layout.appsDomain,
  });
  const fleet = new RunnerFleet(layout, bundles["kiln-runner"], log);

  // 3. The control plane and the runners together, then the front door last, so it never answers before what it
  // forwards to. Building the control plane's options read its whole bundle into this process: what miniflare does
  // not keep can go.
  const [control] = await Promise.all([
    startControlPlane(controlOptions, (text) => log("control", text)),
    fleet.start(),
  ]);
  collectGarbage();
  const front = new FrontDoorKeeper(frontConfig, layout.runnerSecrets.KILN_FRONT_SECRET, log, listenFd);
  front.start();

  // 4. Once the control plane reaches every runner (or 30 s passed): the minute ticks and the runners' watch loops.
  await fleet.waitUntilReachable(30_000);
  const minuteTicks = new MinuteTicks(layout.controlPort, log);
  fleet.watch();

  return {
    url: `http://localhost:${port}`,
    port,
    runnerPort: layout.runnerPorts[0],
    runnerPorts: layout.runnerPorts,
    controlPort: layout.controlPort,
    events: fleet.events,
    /** Whether the control plane reaches runner `index` now (a new runner answers itself a moment earlier). */
    runnerReachable: (index = 0) => fleet.reachable(index),
    /** The workerd pid of each runner now (null while one restarts). */
    runnerPids: () => fleet.pids(),
    /** Stops everything this call started; resolves when every process is gone. */
    stop: () => stopSupervisedKiln({ front, minuteTicks, fleet, control }),
  };
}

/**
 * The stop sequence: no more restarts or ticks, the watch loops' last ticks finish, then the front door gets SIGTERM
 * while the control plane and the runners stop (at least a second), and SIGKILL for whatever of the front is left.
 */
async function stopSupervisedKiln({ front, minuteTicks, fleet, control }) {
  front.stopRestarting();
  minuteTicks.stop();
  await fleet.stopWatching();
  front.signal("SIGTERM");
  await Promise.all([control.dispose().catch(() => {}), fleet.stop(), new Promise((r) => setTimeout(r, 1000))]);
  front.signal("SIGKILL");
}
