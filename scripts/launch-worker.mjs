// Runs one Worker on workerd through miniflare, in its own process so the supervisor can kill and restart it
// independently. The Worker's bundle was built once beforehand (scripts/build-workers.mjs): no wrangler dev server,
// no proxy workerd in front of it, no esbuild watching beside it. Options come as JSON in KILN_LAUNCH; "ready" is
// sent over IPC once serving.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";

const options = JSON.parse(process.env.KILN_LAUNCH ?? "{}");

// Lines the Worker prints at warn level and above go to the supervisor's log.
function handleWorkerLog({ level, message }) {
  if (level === "warn" || level === "error") process.stderr.write(`${message}\n`);
}

/** The options wrangler derived from the Worker's config at build time, with the prebuilt bundle as its code. */
function workerOptions() {
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

const miniflare = new Miniflare(
  convertV4MiniflareOptions({
    host: "127.0.0.1",
    port: options.port,
    unsafeDevRegistryPath: options.registry,
    // The supervisor fires the control plane's cron trigger through /cdn-cgi/local/scheduled.
    unsafeTriggerHandlers: true,
    logRequests: false,
    log: new Log(LogLevel.WARN),
    handleStructuredLogs: handleWorkerLog,
    resourcePersistencePath: path.join(options.persist, "v3"),
    resourceTmpPath: path.join(options.persist, "tmp"),
    telemetry: { enabled: false },
    workers: [workerOptions()],
  }),
);
await miniflare.ready;
// Building the options read the whole bundle into this process; what miniflare does not keep can go now.
globalThis.gc?.();
process.send?.({ type: "ready" });

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(0), 3000);
  try {
    await miniflare.dispose();
  } finally {
    clearTimeout(force);
    process.exit(0);
  }
}
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, stop);
// The supervisor is gone (even by SIGKILL, which it cannot pass on): take workerd down with this process.
process.on("disconnect", stop);
