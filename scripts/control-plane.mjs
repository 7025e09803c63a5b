// Runs the control plane on workerd through miniflare (its D1, R2 and assets simulators), in the supervisor's own
// process: a launcher process beside it cost ~50 MB for nothing, since the supervisor never restarts the control
// plane. Its bundle was built once beforehand (scripts/build-workers.mjs): no wrangler dev server, no proxy workerd
// in front of it, no esbuild watching beside it. Its workerd dies with this process even on SIGKILL
// (scripts/workerd-tied.sh).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { workerdBinary } from "./front-door.mjs";

const tied = path.join(path.dirname(fileURLToPath(import.meta.url)), "workerd-tied.sh");

/** miniflare's own warnings go to the supervisor's log (a file under the tests), not to this process's stdout. */
class SupervisorLog extends Log {
  #sink;
  constructor(level, sink) {
    super(level);
    this.#sink = sink;
  }
  log(message) {
    this.#sink(`${message}\n`);
  }
}

/** The options wrangler derived from the Worker's config at build time, with the prebuilt bundle as its code. */
function workerOptions(options) {
  const fromConfig = JSON.parse(readFileSync(path.join(options.bundleDir, "miniflare-options.json"), "utf8"));
  const files = readdirSync(options.bundleDir);
  return {
    ...fromConfig,
    name: options.name,
    modulesRoot: options.bundleDir,
    modules: [
      { type: "ESModule", path: path.join(options.bundleDir, "index.js") },
      ...files
        .filter((f) => f.endsWith(".wasm"))
        .map((f) => ({ type: "CompiledWasm", path: path.join(options.bundleDir, f) })),
    ],
    bindings: { ...fromConfig.bindings, ...(options.bindings ?? {}) },
    serviceBindings: { ...fromConfig.serviceBindings, ...(options.serviceBindings ?? {}) },
    durableObjects: { ...fromConfig.durableObjects, ...(options.durableObjects ?? {}) },
    // Sockets straight into one entrypoint, without miniflare's entry worker in front; they also carry JS RPC
    // (the runners call RunnerCapabilities through one).
    ...(options.directSockets ? { unsafeDirectSockets: options.directSockets } : {}),
  };
}

/**
 * Starts the control plane: `options` = { name, bundleDir, port, persist, registry, bindings, serviceBindings,
 * durableObjects, directSockets }; `log(text)` hears what it prints at warn level and above. Resolves once it serves;
 * `dispose()` stops it.
 */
export async function startControlPlane(options, log) {
  // miniflare starts this workerd; the wrapper ties it to this process as the other workerd processes are.
  process.env.MINIFLARE_WORKERD_PATH = tied;
  process.env.KILN_WORKERD = workerdBinary();
  const miniflare = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: options.port,
      unsafeDevRegistryPath: options.registry,
      // The supervisor fires the control plane's cron trigger through /cdn-cgi/local/scheduled.
      unsafeTriggerHandlers: true,
      logRequests: false,
      log: new SupervisorLog(LogLevel.WARN, log),
      handleStructuredLogs: ({ level, message }) => (level === "warn" || level === "error") && log(`${message}\n`),
      resourcePersistencePath: path.join(options.persist, "v3"),
      resourceTmpPath: path.join(options.persist, "tmp"),
      telemetry: { enabled: false },
      workers: [workerOptions(options)],
    }),
  );
  await miniflare.ready;
  return miniflare;
}
