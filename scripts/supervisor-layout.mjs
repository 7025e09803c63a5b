// Where one supervised Kiln lives and listens, decided before any process starts: its state folders, the loopback
// port of every process and socket, the secrets they share, and the control plane's options that wire it to the
// runners. The supervisor computes this once per start and hands it to each part it starts, so no part picks a port
// or a secret of its own and every part agrees on where the others are.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readDevVars } from "./dev-vars.mjs";
import { runnerName } from "./runner-process.mjs";
import { WATCHDOG_DEFAULTS } from "./runner-watchdog.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * A free TCP port on loopback, below the kernel's ephemeral range. A port is picked now and bound later by another
 * process; one from the ephemeral range can meanwhile be handed to anybody's bind(0) (a runner's debug socket,
 * miniflare's own), which then takes it from us (seen as ERR_ADDRESS_IN_USE). The kernel never hands out these.
 */
export async function freePort() {
  const top = ephemeralStart() - 1;
  const bottom = Math.max(1024, top - 12_000);
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = bottom + Math.floor(Math.random() * (top - bottom));
    // Never the same port twice to this process: the first may not be bound yet.
    if (handedOut.has(port) || !(await bindable(port))) continue;
    handedOut.add(port);
    return port;
  }
  return listenOnce(0);
}

const handedOut = new Set();

/** The first port of the kernel's ephemeral range (Linux: ip_local_port_range; elsewhere the IANA 49152). */
function ephemeralStart() {
  try {
    return Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]) || 49152;
  } catch {
    return 49152;
  }
}

function bindable(port) {
  return listenOnce(port).then(
    () => true,
    () => false,
  );
}

/** Listens on `port` of loopback and closes again; resolves with the port it got. */
function listenOnce(port) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address();
      server.close(() => resolve(bound));
    });
    server.on("error", reject);
  });
}

/** How many runners `npm start` runs: KILN_RUNNERS, else one per core. */
export function defaultRunnerCount() {
  const chosen = Number(process.env.KILN_RUNNERS);
  return Number.isInteger(chosen) && chosen > 0 ? chosen : availableParallelism();
}

/**
 * @typedef {object} KilnLayout
 * @property {number} port The port visitors use (the front door's).
 * @property {string} appsDomain `localhost:<port>`: the host apps are served under.
 * @property {number} count How many runners.
 * @property {typeof WATCHDOG_DEFAULTS} settings The runner watchdog's settings (defaults with the caller's overrides).
 * @property {string} stateRoot The persistence folder (databases, bundles, generated configs).
 * @property {string} registry miniflare's dev registry folder, through which the control plane finds the runners.
 * @property {string} secret KILN_INTERNAL_SECRET: what the supervisor shows the control plane's internal routes.
 * @property {{ KILN_MARK_SECRET: string, KILN_FRONT_SECRET: string }} runnerSecrets Given to the runners (and the
 *   front secret to the front door) through the environment.
 * @property {number} controlPort The control plane's miniflare entry (web UI, assets, internal routes, cron trigger).
 * @property {number} capabilitiesPort Where runners call the control plane's RunnerCapabilities.
 * @property {number} controlApiPort Where the front door sends `/api/*`, straight into PlatformEntry.
 * @property {number[]} runnerPorts Where runner k serves app hosts.
 */

/**
 * Decides the layout of one start (see KilnLayout) and empties the dev registry, whose entries from an earlier run
 * name processes long gone. Ports are picked here, once, in a fixed order.
 * @returns {Promise<KilnLayout>}
 */
export async function layOutKiln({ port, persistTo, watchdog = {}, runners }) {
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
  return {
    port,
    appsDomain,
    count,
    settings,
    stateRoot,
    registry,
    secret,
    runnerSecrets,
    controlPort,
    capabilitiesPort,
    controlApiPort,
    runnerPorts,
  };
}

/**
 * The control plane's options for startControlPlane (scripts/control-plane.mjs): its sockets from `layout`, each
 * runner bound as RUNNER_k with its app databases as APP_DATA_k, and its variables (`.dev.vars`, then the layout's,
 * then the caller's `vars`). Reads `.dev.vars` now.
 */
export function controlPlaneOptions(layout, bundleDir, vars) {
  const { count, appsDomain } = layout;
  const runnerBindings = {};
  // APP_DATA itself (used only when app code runs in the control plane) points at runner 0, so no namespace of app
  // databases is ever created in the control plane's own storage again.
  const runnerDatabases = { APP_DATA: { className: "AppDataStore", scriptName: runnerName(0) } };
  for (let i = 0; i < count; i++) {
    runnerBindings[`RUNNER_${i}`] = { name: runnerName(i) };
    // App databases live in the runners, beside the apps' isolates: reads there are in-process calls.
    runnerDatabases[`APP_DATA_${i}`] = { className: "AppDataStore", scriptName: runnerName(i) };
  }
  return {
    name: "kiln",
    bundleDir,
    port: layout.controlPort,
    persist: layout.stateRoot,
    registry: layout.registry,
    directSockets: [
      { host: "127.0.0.1", port: layout.capabilitiesPort, entrypoint: "RunnerCapabilities" },
      { host: "127.0.0.1", port: layout.controlApiPort, entrypoint: "PlatformEntry" },
    ],
    // `.dev.vars` overrides the config's variables, as under wrangler; the caller's `vars` override both.
    bindings: {
      ...readDevVars(),
      APPS_DOMAIN: appsDomain,
      KILN_URL: `http://${appsDomain}`,
      KILN_INTERNAL_SECRET: layout.secret,
      RUNNER_COUNT: String(count),
      ...vars,
    },
    serviceBindings: runnerBindings,
    durableObjects: runnerDatabases,
  };
}
