import { WorkerEntrypoint } from "cloudflare:workers";
import type { AppBundle } from "../build";
import { type AppTarget, DEFAULT_LIMITS, type TrialTarget, type AppDescription } from "../runner/app-runner";
import { LoaderRunner } from "../runner/loader-runner";
import { beginRequest, inProgressRequests } from "./in-progress";
import type { RunnerEnv } from "./runner-env";

export { AppDatabaseGateway } from "../data/app-database-gateway";
export { EgressProxy } from "./egress-proxy";
export { AppLogTail } from "./log-tail";

/**
 * The runner worker (wrangler.runner.jsonc): the only process that executes
 * app code. The control plane reaches it through the RUNNER service binding;
 * locally a supervisor restarts it when app code hangs or exhausts memory.
 */
export default class KilnRunner extends WorkerEntrypoint<RunnerEnv> {
  #runner = new LoaderRunner(
    this.env.LOADER,
    (appId, version) => this.env.CONTROL.bundle(appId, version),
    DEFAULT_LIMITS,
    this.env.KILN_MARK_SECRET ?? null,
  );

  /** Health check for the supervisor: answers only while the process's event loop is free. */
  override fetch(request: Request): Response {
    const { pathname } = new URL(request.url);
    if (pathname === "/health")
      return Response.json({ ok: true, service: "kiln-runner", inProgress: inProgressRequests() });
    return new Response("Not found", { status: 404 });
  }

  serve(target: AppTarget, request: Request): Promise<Response> {
    beginRequest(request.headers.get("x-kiln-request-id"), target);
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
}
