// The local front door: the one socket `npm start` listens on (PORT). A workerd process of its own, run straight
// from a generated config (no miniflare, no Node launcher beside it): its Worker (worker/src/front) sends app hosts
// to the runner that serves the app and everything else to the control plane, as Cloudflare's routes do in
// production. It holds no state, so the supervisor simply starts it again if it ever exits.
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

/** The workerd binary miniflare runs (one version for every Kiln process). */
export function workerdBinary() {
  const miniflareDir = path.dirname(require.resolve("miniflare/package.json"));
  return createRequire(path.join(miniflareDir, "package.json")).resolve("workerd/bin/workerd");
}

// `setpriv --pdeathsig` makes the kernel kill the child when the supervisor dies, even by SIGKILL (util-linux is
// on every Debian and Ubuntu); without it the supervisor's own exit handlers are the only guard.
let setprivPath;
function setpriv() {
  if (setprivPath === undefined) {
    try {
      setprivPath = execFileSync("sh", ["-c", "command -v setpriv"], { encoding: "utf8" }).trim() || null;
    } catch {
      setprivPath = null;
    }
  }
  return setprivPath;
}

/** Spawns workerd with `args`, tied to this process's life where the system allows it. */
export function spawnWorkerd(args, options) {
  const tie = setpriv();
  return tie
    ? spawn(tie, ["--pdeathsig", "SIGKILL", workerdBinary(), ...args], options)
    : spawn(workerdBinary(), args, options);
}

/**
 * Writes the front door's workerd config into `dir` (with a copy of its bundle) and returns the config's path.
 * `runnerPorts[i]` is where runner i listens; `controlPort` the control plane (miniflare's entry: the web UI and its
 * assets); `controlApiPort` its direct socket into PlatformEntry, for `/api/*`.
 */
export function writeFrontConfig({ dir, bundleDir, port, controlPort, controlApiPort, runnerPorts, appsDomain }) {
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(bundleDir, "index.js"), path.join(dir, "front.js"));
  const runners = runnerPorts.map((_, i) => `(name = "RUNNER_${i}", service = "runner-${i}")`);
  const runnerServices = runnerPorts.map(
    (runnerPort, i) => `(name = "runner-${i}", external = (address = "127.0.0.1:${runnerPort}", http = ()))`,
  );
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "front", worker = .front),
    (name = "control", external = (address = "127.0.0.1:${controlPort}", http = ())),
    (name = "control-api", external = (address = "127.0.0.1:${controlApiPort}", http = ())),
    ${runnerServices.join(",\n    ")},
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "front") ],
);
const front :Workerd.Worker = (
  modules = [ (name = "front.js", esModule = embed "front.js") ],
  compatibilityDate = "2026-11-01",
  bindings = [
    (name = "APPS_DOMAIN", text = ${JSON.stringify(appsDomain)}),
    (name = "RUNNER_COUNT", text = "${runnerPorts.length}"),
    (name = "KILN_FRONT_SECRET", fromEnvironment = "KILN_FRONT_SECRET"),
    (name = "CONTROL", service = "control"),
    (name = "CONTROL_API", service = "control-api"),
    ${runners.join(",\n    ")},
  ],
);
`;
  const file = path.join(dir, "front.capnp");
  writeFileSync(file, config);
  return file;
}

/**
 * Starts the front door from a config written by writeFrontConfig; `log` hears its stderr. `frontSecret` (shared
 * with the runners only, to prove which request ids the front door gave) goes through the environment, never a file.
 * `listenFd`: a listening socket this process was given (systemd socket activation), served instead of the port.
 */
export function startFrontDoor(configFile, frontSecret, log, listenFd = null) {
  const inherited = listenFd === null ? [] : ["--socket-fd", "http=3"];
  const child = spawnWorkerd(["serve", ...inherited, configFile], {
    stdio: ["ignore", "ignore", "pipe", ...(listenFd === null ? [] : [listenFd])],
    detached: true,
    env: { PATH: process.env.PATH, KILN_FRONT_SECRET: frontSecret },
  });
  child.stderr.on("data", (chunk) => log(chunk.toString()));
  return child;
}

/**
 * The supervisor's front door, kept running: `start()` spawns it from `configFile` and spawns it again whenever it
 * exits, until `stopRestarting()`. `log(name, text)` hears its stderr as `front`.
 */
export class FrontDoorKeeper {
  #configFile;
  #frontSecret;
  #log;
  #listenFd;
  #child = null;
  #restarting = true;

  constructor(configFile, frontSecret, log, listenFd = null) {
    this.#configFile = configFile;
    this.#frontSecret = frontSecret;
    this.#log = log;
    this.#listenFd = listenFd;
  }

  /** Spawns the front door, and arranges for it to be spawned again when it exits. */
  start() {
    const child = startFrontDoor(
      this.#configFile,
      this.#frontSecret,
      (text) => this.#log("front", text),
      this.#listenFd,
    );
    this.#child = child;
    child.once("exit", () => {
      if (!this.#restarting) return;
      this.#log("supervisor", "the front door exited; starting it again\n");
      this.start();
    });
  }

  /** From now on an exit is final: the supervisor is stopping. */
  stopRestarting() {
    this.#restarting = false;
  }

  /** Sends `signal` to the current front door's process group (it was spawned detached: workerd and its wrapper). */
  signal(signal) {
    try {
      process.kill(-this.#child.pid, signal);
    } catch {}
  }
}
