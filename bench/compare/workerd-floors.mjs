// The structural floors of Kiln's figures: what the same shape of work costs on a plain workerd (the binary Kiln
// runs, one process, a capnp config, no Kiln code). A target below its floor cannot be met by any code of Kiln's on
// this machine; the bench prints each Kiln figure beside its floor so the gap that is Kiln's own can be read off.
//   /warm-read    a warm Dynamic Worker reads one row from a SQLite Durable Object through an entrypoint of its
//                 parent (Kiln's warm app read without the front door, the second process or any Kiln code)
//   /new-isolate  a new Dynamic Worker (a one-line module) per request: the least an unloaded app's request costs
//   /new-app-isolate  the same with the code of an app Kiln built (POST /app-bundle first): its own start cost
//   /isolate?id   starts (and keeps) a named one-line Dynamic Worker;  /database?id  opens a SQLite Durable Object
// and, on a second workerd in front of the first, the floor of any two-process path (Kiln's front door before the
// control plane or a runner): every request relayed once over loopback HTTP to the hello-world route.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { workerdBinary } from "../../scripts/front-door.mjs";
import { freePort } from "../../scripts/supervisor.mjs";
import { closedLoop } from "../load.mjs";
import { rssMb } from "../../scripts/process-tree.mjs";
import { waitForAnswer } from "./wait-for-answer.mjs";

// Apps run with the same compatibility settings as Kiln's (worker/src/isolates/worker-code.ts APP_COMPATIBILITY).
const APP_COMPATIBILITY = `compatibilityDate: "2026-11-01", compatibilityFlags: ["no_nodejs_compat", "nodejs_als"]`;

const WORKER = `import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
export class Rows extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT)");
    ctx.storage.sql.exec("INSERT OR IGNORE INTO items VALUES (1, 'one row')");
  }
  get(id) { return this.ctx.storage.sql.exec("SELECT * FROM items WHERE id = ?", id).toArray()[0] ?? null; }
}
export class Gateway extends WorkerEntrypoint {
  async get(id) { const rows = this.env.ROWS; return await rows.get(rows.idFromName(this.ctx.props.name)).get(id); }
}
const READER = "export default { async fetch(request, env) { return Response.json(await env.DB.get(1)); } };";
const HELLO = 'export default { fetch() { return Response.json({ id: 1, name: "one row" }); } };';
let appBundle = null;
const code = (source, env = {}) => ({ ${APP_COMPATIBILITY}, mainModule: "app.js", modules: { "app.js": source }, env, globalOutbound: null });
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const id = url.searchParams.get("id") ?? "";
    switch (url.pathname) {
      case "/": return Response.json({ id: 1, name: "one row" });
      case "/warm-read": return env.LOADER.get("reader", () => code(READER, { DB: ctx.exports.Gateway({ props: { name: "rows" } }) })).getEntrypoint().fetch(request);
      case "/app-bundle": appBundle = await request.json(); return new Response("ok");
      case "/new-app-isolate": return env.LOADER.load({ ...code(""), mainModule: appBundle.mainModule, modules: appBundle.modules }).getEntrypoint().fetch(new Request(url.origin + "/"));
      case "/new-isolate": return env.LOADER.load(code(HELLO)).getEntrypoint().fetch(request);
      case "/isolate": return env.LOADER.get("isolate-" + id, () => code(HELLO)).getEntrypoint().fetch(request);
      case "/database": { const rows = env.ROWS; return Response.json(await rows.get(rows.idFromName("db-" + id)).get(1)); }
      default: return new Response("not found", { status: 404 });
    }
  },
};
`;

const RELAY = "export default { fetch(request, env) { return env.UPSTREAM.fetch(request); } };\n";

/** Starts the floors' workerd and the relay in front of it on free ports; resolves { port, relayPort, pid, stop }. */
export async function startWorkerdFloors() {
  const port = await freePort();
  const relayPort = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "kiln-workerd-floors-"));
  mkdirSync(path.join(dir, "data"));
  writeFileSync(path.join(dir, "floors.js"), WORKER);
  writeFileSync(path.join(dir, "relay.js"), RELAY);
  writeFileSync(
    path.join(dir, "relay.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .relay), (name = "upstream", external = (address = "127.0.0.1:${port}", http = ())) ],
  sockets = [ (name = "http", address = "127.0.0.1:${relayPort}", http = (), service = "main") ],
);
const relay :Workerd.Worker = (
  modules = [ (name = "relay.js", esModule = embed "relay.js") ],
  compatibilityDate = "2026-11-01",
  bindings = [ (name = "UPSTREAM", service = "upstream") ],
);
`,
  );
  writeFileSync(
    path.join(dir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .floors), (name = "data", disk = (path = ${JSON.stringify(path.join(dir, "data"))}, writable = true)) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const floors :Workerd.Worker = (
  modules = [ (name = "floors.js", esModule = embed "floors.js") ],
  compatibilityDate = "2026-11-01",
  bindings = [ (name = "LOADER", workerLoader = ()), (name = "ROWS", durableObjectNamespace = "Rows") ],
  durableObjectNamespaces = [ (className = "Rows", uniqueKey = "kiln-bench-floor-rows", enableSql = true) ],
  durableObjectStorage = (localDisk = "data"),
);
`,
  );
  let stderr = "";
  const start = (config) => {
    // --experimental: raw workerd asks it of Worker Loader bindings, as Kiln's runners do.
    const child = spawn(workerdBinary(), ["serve", "--experimental", path.join(dir, config)], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-2000)));
    return child;
  };
  const children = [start("config.capnp"), start("relay.capnp")];
  const stop = async () => {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(
      children.map((child) => new Promise((resolve) => child.once("exit", resolve).once("error", resolve))),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForAnswer(port, 20_000);
    await waitForAnswer(relayPort, 20_000);
  } catch (error) {
    await stop();
    throw new Error(`the floors' workerd did not start: ${error.message}\n${stderr}`);
  }
  return { port, relayPort, pid: children[0].pid, stop };
}

/** Closed-loop load on one floor route (after a short warm-up), `relayed` through the second workerd or not. */
export async function loadFloor(floors, urlPath, { connections, seconds, relayed = false }) {
  const port = relayed ? floors.relayPort : floors.port;
  const target = { port, host: `localhost:${port}`, path: urlPath, connections };
  await closedLoop({ ...target, seconds: 1 });
  const result = await closedLoop({ ...target, seconds });
  if (result.errors > 0) throw new Error(`floor ${urlPath}: ${result.errors} failed requests`);
  return result;
}

/**
 * RSS growth of the floors' workerd per named one-line Dynamic Worker kept warm, and per SQLite Durable Object
 * opened and read once: the least an app's warm isolate and each of its databases (preview, live) can cost here.
 */
export async function floorMemory(floors, { count = 200 } = {}) {
  const grow = async (route) => {
    const before = rssMb(floors.pid);
    for (let i = 0; i < count; i++) {
      const answer = await fetch(`http://127.0.0.1:${floors.port}${route}?id=${i}`);
      if (answer.status !== 200) throw new Error(`floor ${route} ${i}: ${answer.status}`);
      await answer.arrayBuffer();
    }
    return (rssMb(floors.pid) - before) / count;
  };
  const isolateMiB = await grow("/isolate");
  const databaseMiB = await grow("/database");
  return { count, isolateMiB, databaseMiB, appMiB: isolateMiB + 2 * databaseMiB };
}

/**
 * Hands the floors' workerd the code of an app Kiln built (`{ mainModule, modules }`, as stored with its version),
 * for `/new-app-isolate`.
 */
export async function setFloorAppBundle(floors, bundle) {
  const answer = await fetch(`http://127.0.0.1:${floors.port}/app-bundle`, {
    method: "POST",
    body: JSON.stringify({ mainModule: bundle.mainModule, modules: bundle.modules }),
  });
  if (answer.status !== 200) throw new Error(`the floors' workerd refused the app bundle: ${answer.status}`);
}

/**
 * The stored bundle of the version whose `app.js` contains `marker`, read from the R2 blobs of a Kiln state folder
 * (`persistTo`), or null. The bench owns that folder; Kiln has no API that hands out a version's compiled code.
 */
export function storedAppBundle(persistTo, marker) {
  const dir = path.join(persistTo, "v3", "r2", "kiln-bundles", "blobs");
  if (!existsSync(dir)) return null;
  for (const name of readdirSync(dir)) {
    try {
      const stored = JSON.parse(readFileSync(path.join(dir, name), "utf8"));
      const app = stored?.bundle?.modules?.["app.js"];
      if (typeof app === "string" && app.includes(marker)) return stored.bundle;
    } catch {}
  }
  return null;
}
