import { DurableObject, WorkerEntrypoint, exports } from "cloudflare:workers";

// This Worker's own entrypoints, as `exports` hands them out (not in the global Cloudflare.Exports of Kiln).
const entrypoints = exports as unknown as Record<"Gateway" | "QuietTail", (options: object) => Fetcher>;

interface CostEnv {
  LOADER: WorkerLoader;
  STORE: DurableObjectNamespace<RowStore>;
}

/** One table with one row: the read every measured app request makes. */
export class RowStore extends DurableObject<CostEnv> {
  constructor(ctx: DurableObjectState, env: CostEnv) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT)");
    ctx.storage.sql.exec("INSERT OR REPLACE INTO items VALUES (1, 'one row')");
  }

  get(id: number): Record<string, SqlStorageValue> | null {
    return this.ctx.storage.sql.exec("SELECT * FROM items WHERE id = ?", id).toArray()[0] ?? null;
  }
}

function store(env: CostEnv): DurableObjectStub<RowStore> {
  return env.STORE.get(env.STORE.idFromName("bench"));
}

/** The app's `env.DB`, shaped like Kiln's gateway: an entrypoint in front of the Durable Object. */
export class Gateway extends WorkerEntrypoint<CostEnv> {
  get(id: number) {
    return store(this.env).get(id);
  }
}

/** A tail that does nothing: isolates the cost of having one at all. */
export class QuietTail extends WorkerEntrypoint<CostEnv> {
  override async tail(): Promise<void> {}
}

const APP = `export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/db") return Response.json(await env.DB.get(1));
    return new Response("hello");
  },
};`;

function appCode(options: { tail: boolean; db: boolean }): WorkerLoaderWorkerCode {
  return {
    compatibilityDate: "2026-11-01",
    compatibilityFlags: ["nodejs_compat"],
    mainModule: "app.js",
    modules: { "app.js": APP },
    env: options.db ? { DB: entrypoints.Gateway({}) } : {},
    globalOutbound: null,
    ...(options.tail ? { tails: [entrypoints.QuietTail({})] } : {}),
  };
}

function app(
  env: CostEnv,
  name: string,
  options: { tail: boolean; db: boolean },
  path: string,
  request: Request,
): Promise<Response> {
  return env.LOADER.get(name, () => appCode(options))
    .getEntrypoint()
    .fetch(new Request(`http://app${path}`, request));
}

/** Each path adds one step to the one before it (see bench/costs.mjs). */
export default {
  async fetch(request: Request, env: CostEnv): Promise<Response> {
    switch (new URL(request.url).pathname) {
      case "/plain":
        return new Response("plain");
      case "/durable-object":
        return Response.json(await store(env).get(1));
      case "/app":
        return app(env, "app", { tail: false, db: false }, "/", request);
      case "/app-tail":
        return app(env, "app-tail", { tail: true, db: false }, "/", request);
      case "/app-tail-db":
        return app(env, "app-tail-db", { tail: true, db: true }, "/db", request);
      default:
        return new Response("Not found", { status: 404 });
    }
  },
};
