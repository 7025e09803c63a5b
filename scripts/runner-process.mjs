// One local app runner: a workerd process of its own, run straight from a generated config (no miniflare, no Node
// launcher beside it: a launcher cost ~140 MB per runner). `npm start` runs several (one per core by default), each
// serving the apps its index is given by `runnerIndex(slug, count)`, each with its own folder of app databases, so a
// runaway app takes down only its own runner. The control plane reaches runner k through miniflare's dev registry
// as `kiln-runner-k` (its RUNNER_k service and APP_DATA_k databases), which calls into this workerd's debug port.
import { randomUUID } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { spawnWorkerd } from "./front-door.mjs";

/** miniflare's name for the HTTP option that carries JS RPC over a plain socket (its direct sockets set it). */
const CAPNP_CONNECT_HOST = "miniflare-unsafe-internal-capnp-connect";

/** The dev-registry name of runner k; the control plane binds RUNNER_k and APP_DATA_k to it. */
export function runnerName(index) {
  return `kiln-runner-${index}`;
}

/** The Durable Object namespace key of runner k's app databases: the dev registry's proxy hashes ids with it. */
export function appDataKey(index) {
  return `${runnerName(index)}-AppDataStore`;
}

/** Where runner k keeps its app databases, one SQLite file per database under `<dir>/<appDataKey(k)>/`. */
export function runnerStorageDir(stateRoot, index) {
  return path.join(stateRoot, "runners", String(index));
}

/**
 * Writes runner k's workerd config into `dir` (with a copy of its bundle) and returns the config's path. Variables
 * and compatibility settings come from the bundle's `miniflare-options.json` (wrangler.runner.jsonc), overridden by
 * `vars`; CONTROL reaches the control plane's RunnerCapabilities socket at `controlAddress`.
 */
export function writeRunnerConfig({ dir, bundleDir, index, port, controlAddress, storageDir, vars = {} }) {
  mkdirSync(dir, { recursive: true });
  mkdirSync(storageDir, { recursive: true });
  copyFileSync(path.join(bundleDir, "index.js"), path.join(dir, "runner.js"));
  const options = JSON.parse(readFileSync(path.join(bundleDir, "miniflare-options.json"), "utf8"));
  // nodejs_compat is a default at this compatibility date: naming it only makes workerd print a warning.
  const flags = (options.compatibilityFlags ?? []).filter((flag) => flag !== "nodejs_compat");
  const text = { ...options.bindings, ...vars };
  const bindings = [
    ...Object.entries(text).map(
      ([name, value]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(String(value))})`,
    ),
    // Secrets shared with the supervisor and the front door come through the environment, never this file.
    `(name = "KILN_MARK_SECRET", fromEnvironment = "KILN_MARK_SECRET")`,
    `(name = "KILN_FRONT_SECRET", fromEnvironment = "KILN_FRONT_SECRET")`,
    `(name = "LOADER", workerLoader = ())`,
    `(name = "CONTROL", service = "control")`,
    `(name = "APP_DATA", durableObjectNamespace = "AppDataStore")`,
  ];
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "runner", worker = .runner),
    (name = "control", external = (address = ${JSON.stringify(controlAddress)}, http = (capnpConnectHost = "${CAPNP_CONNECT_HOST}"))),
    (name = "app-databases", disk = (path = ${JSON.stringify(path.resolve(storageDir))}, writable = true)),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "runner") ],
);
const runner :Workerd.Worker = (
  modules = [ (name = "runner.js", esModule = embed "runner.js") ],
  compatibilityDate = ${JSON.stringify(options.compatibilityDate)},
  compatibilityFlags = ${JSON.stringify(flags)},
  bindings = [
    ${bindings.join(",\n    ")},
  ],
  durableObjectNamespaces = [ (className = "AppDataStore", uniqueKey = "${appDataKey(index)}", enableSql = true) ],
  durableObjectStorage = (localDisk = "app-databases"),
);
`;
  const file = path.join(dir, `runner-${index}.capnp`);
  writeFileSync(file, config);
  return file;
}

/**
 * Starts a runner from its config. `--experimental` is what raw workerd asks of Worker Loader bindings; the debug
 * port is how the control plane's dev registry reaches its entrypoints and databases. Secrets go in the environment.
 */
export function startRunnerProcess(configFile, { debugPort, secrets }) {
  return spawnWorkerd(["serve", "--experimental", `--debug-port=127.0.0.1:${debugPort}`, configFile], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    env: { PATH: process.env.PATH, ...secrets },
  });
}

/**
 * Announces runner k in miniflare's dev registry (`registry/<name>`, the format miniflare writes for its own
 * Workers), with a fresh instance id so the control plane drops connections to an earlier process. The entry is
 * touched every 10 s as miniflare does (entries older than 90 s count as gone); `withdraw()` removes it.
 */
export function registerRunner(registry, index, debugPort) {
  const file = path.join(registry, runnerName(index));
  const write = () =>
    writeFileSync(
      file,
      JSON.stringify({
        debugPortAddress: `127.0.0.1:${debugPort}`,
        defaultEntrypointService: "runner",
        userWorkerService: "runner",
        instanceId: randomUUID(),
      }),
    );
  write();
  const heartbeat = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(file, now, now);
    } catch {
      write();
    }
  }, 10_000);
  heartbeat.unref();
  return {
    withdraw() {
      clearInterval(heartbeat);
      rmSync(file, { force: true });
    },
  };
}
