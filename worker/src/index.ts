import { WorkerEntrypoint, DurableObject } from "cloudflare:workers";

export class AppDataStore extends DurableObject {
  ping() { return "pong"; }
}

export class Egress extends WorkerEntrypoint<Env, { appId: string }> {
  async fetch(request: Request): Promise<Response> {
    throw new Error(`network access to ${new URL(request.url).hostname} is not allowed for this app (${this.ctx.props.appId})`);
  }
}

export class LogTail extends WorkerEntrypoint<Env, { appId: string }> {
  async tail(events: TraceItem[]) {
    (globalThis as any).__tails ??= [];
    (globalThis as any).__tails.push(...events);
    console.log("TAIL", JSON.stringify(events).slice(0, 500));
  }
}

export class DataApi extends WorkerEntrypoint<Env, { appId: string }> {
  async get(k: string) { return `${this.ctx.props.appId}:${k}`; }
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext) {
    const url = new URL(request.url);
    const exportsAny = (ctx as any).exports;
    if (url.pathname === "/tails") return Response.json((globalThis as any).__tails ?? []);
    const w = env.LOADER.get("spike@" + (url.searchParams.get("v") ?? "1"), () => ({
      compatibilityDate: "2026-11-01",
      mainModule: "main.js",
      modules: { "main.js": `export default { async fetch(req, env) {
        console.log("hello from app");
        const u = new URL(req.url);
        if (u.pathname === "/out") { try { await fetch("https://api.example.com/x"); return new Response("no"); } catch (e) { return new Response("refused: " + e.message); } }
        if (u.pathname === "/throw") throw new Error("boom");
        return new Response("data=" + await env.DATA.get("k"));
      } }` },
      env: { DATA: exportsAny.DataApi({ props: { appId: "a1" } }) },
      globalOutbound: exportsAny.Egress({ props: { appId: "a1" } }),
      tails: [exportsAny.LogTail({ props: { appId: "a1" } })],
    }));
    return w.getEntrypoint().fetch(request);
  },
} satisfies ExportedHandler<Env>;
