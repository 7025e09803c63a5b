import { WorkerEntrypoint } from "cloudflare:workers";
import type { AppBundle } from "../compiler";
import type { AppDescription, AppRunner, AppTarget, SnippetTarget, TrialTarget } from "../isolates/app-runner";
import { type LoaderRunner, snippetRequestId } from "../isolates/loader-runner";
import { snippetRun } from "../core/records";
import { appDataStoreName } from "../data/app-data-store-stub";
import { parseAppHost } from "../placement/app-host";
import { serveApp } from "../serving/serve-app";
import type { ServedApp } from "../serving/served-app";
import { frontRequestId } from "../front/front-headers";
import { beginRequest, finishRequest, inProgressRequests } from "./in-progress";
import type { RunnerEnv } from "./runner-env";
import { isolateLru, loaderRunner, logBatch, routeTable } from "./serving";
import { REQUEST_ID_HEADER } from "../core/headers";
import { runnerFiles } from "./files-gateway";

export { AppDataStore } from "../data/app-data-store";
export { AppDatabaseGateway } from "../data/app-database-gateway";
export { AppFilesGateway } from "./files-gateway";
export { EgressProxy } from "./egress-proxy";
export { AppLogTail } from "./log-tail";
export { KilnApiGateway } from "./kiln-api-gateway";

/**
 * The runner worker (wrangler.runner.jsonc): the only process that executes app code. Visitors' requests to app
 * hosts come straight here and are answered in this process (routing table, app isolates); the control plane
 * reaches it through the RUNNER service binding for builds, warm-ups and route pushes. Locally a supervisor
 * restarts it when app code hangs or exhausts memory.
 */
export default class KilnRunner extends WorkerEntrypoint<RunnerEnv> implements AppRunner {
  get #runner(): LoaderRunner {
    return loaderRunner(this.env);
  }

  /** App hosts are served here; `/health` on the runner's own host answers the supervisor while the loop is free. */
  override fetch(request: Request): Promise<Response> | Response {
    const url = new URL(request.url);
    const host = this.env.APPS_DOMAIN ? parseAppHost(url.host, this.env.APPS_DOMAIN) : null;
    if (host) {
      const batch = logBatch(this.env);
      const waitUntil = (promise: Promise<unknown>) => this.ctx.waitUntil(promise);
      return serveApp(request, host, {
        requestId: frontRequestId(request, this.env.KILN_FRONT_SECRET),
        lookup: (slug) => routeTable(this.env).lookup(slug),
        runner: this,
        log: async (entries) => batch.add(entries, waitUntil),
        waitUntil,
        // The app's databases live in this process: a session check is an in-process read, no call back.
        sessions: ({ appId }, environment, tokenHash) =>
          this.env.APP_DATA.get(this.env.APP_DATA.idFromName(appDataStoreName(appId, environment))).visitorSession(
            tokenHash,
          ),
        // Sign-in needs the control plane (invites, codes, mail); the runner only relays these few requests.
        kilnPages: (kilnRequest, slug, environment) => this.env.CONTROL.visitorPages(kilnRequest, slug, environment),
        files: () => runnerFiles(this.env),
      });
    }
    if (url.pathname === "/health")
      return Response.json({
        ok: true,
        service: "kiln-runner",
        inProgress: inProgressRequests(),
        warmIsolates: isolateLru(this.env).size,
      });
    return new Response("Not found", { status: 404 });
  }

  /** Takes a routing-table row pushed by the control plane after a publish, rollback, pause, config change or delete. */
  route(slug: string, app: ServedApp | null, revision: number): void {
    routeTable(this.env).put(slug, { app, revision });
  }

  serve(target: AppTarget, request: Request): Promise<Response> {
    beginRequest(request.headers.get(REQUEST_ID_HEADER), target);
    return this.#runner.serve(target, request);
  }

  prewarm(target: AppTarget): Promise<void> {
    return this.#runner.prewarm(target);
  }

  inspect(bundle: AppBundle): Promise<AppDescription> {
    return this.#runner.inspect(bundle);
  }

  trial(target: TrialTarget, request: Request): Promise<Response> {
    return this.#runner.trial(target, request);
  }

  /** An MCP snippet: run where app code runs, so a runaway one is this process's to survive (the supervisor's). */
  async execute(target: SnippetTarget): Promise<Response> {
    const requestId = snippetRequestId(target);
    beginRequest(requestId, snippetRun(target.props.userId));
    try {
      return await this.#runner.execute(target);
    } finally {
      finishRequest(requestId);
    }
  }
}
