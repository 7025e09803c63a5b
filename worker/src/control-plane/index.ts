import { WorkerEntrypoint } from "cloudflare:workers";
import { api } from "../http/api";
import { parseAppHost } from "../placement/app-host";
import type { Env } from "../core/env";
import { appRunnerFor } from "../isolates/app-runner-for";
import { controlPlaneServing } from "./control-plane-serving";
import { serveApp } from "../serving/serve-app";
import { serveWebUi } from "./web-ui";
import { tickAutomations } from "../automations/tick";
import { flushAlertDigests } from "../alerts/alert-digest";
import { isOwnerOAuthMetadataPath } from "../mcp/oauth/owner-oauth-paths";
import { purgeSpentOAuthRows } from "../access/mcp-oauth/oauth-store";
import { purgeSpentOwnerOAuthRows } from "../mcp/oauth/owner-oauth-store";
import { purgeExpiredAiHolds } from "../app-ai";
import { sweepTrialFilesOnTick } from "../files/trial-sweep";
import { cronStep } from "./cron-step";

export { AppDataStore } from "../data/app-data-store";
export { AutomationDispatcher } from "../automations/dispatcher";
export { TurnRunner } from "../chat/turn-runner";
export { AppDatabaseGateway } from "../data/app-database-gateway";
export { AppFilesGateway } from "./files-gateway";
export { EgressProxy } from "../egress/egress-proxy";
export { AppLogTail } from "../logs/app-log-tail";
export { RunnerCapabilities } from "./runner-capabilities";
export { KilnApiGateway } from "./kiln-api-gateway";

/**
 * The platform Worker: app hosts go to the app's Dynamic Worker, `/api/*`
 * to the JSON API, everything else on the platform host to the web UI.
 */
const platform = {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const appHost = parseAppHost(url.host, env.APPS_DOMAIN);
    if (appHost) return serveApp(request, appHost, controlPlaneServing(env, ctx, appRunnerFor(env, appHost.slug)));
    if (url.pathname === "/api" || url.pathname.startsWith("/api/")) return api.fetch(request, env, ctx);
    // MCP clients are given `https://<kiln>/mcp`; it is the API's `/api/mcp`.
    if (url.pathname === "/mcp") return api.fetch(new Request(new URL("/api/mcp", url), request), env, ctx);
    // Its OAuth discovery documents sit at the host's root (RFC 8414, RFC 9728); the API answers them too.
    if (isOwnerOAuthMetadataPath(url.pathname))
      return api.fetch(new Request(new URL(`/api${url.pathname}${url.search}`, url), request), env, ctx);
    return serveWebUi(request, env, ctx, { fetch: (apiRequest) => Promise.resolve(api.fetch(apiRequest, env, ctx)) });
  },
  // The one cron trigger (wrangler.jsonc, every minute; `npm start` fires it locally): start every due automation,
  // send the alert digests whose hour ended, purge spent OAuth codes and tokens, and expired AI holds. Each step
  // runs even when one before it failed.
  async scheduled(controller, env) {
    const now = new Date(controller.scheduledTime);
    await cronStep("automations", async () => {
      const report = await tickAutomations(env, now);
      if (report.due + report.redispatched + report.abandoned > 0)
        console.log(`automations tick: ${JSON.stringify(report)}`);
    });
    await cronStep("alert digests", async () => {
      const digests = await flushAlertDigests(env, now);
      if (digests > 0) console.log(`alert digests sent: ${digests}`);
    });
    // OAuth codes used or expired, and tokens expired, of app hosts and of Kiln's own /mcp: nothing reads them again.
    await cronStep("app OAuth purge", () => purgeSpentOAuthRows(env.DB, now.getTime()));
    await cronStep("owner OAuth purge", () => purgeSpentOwnerOAuthRows(env.DB, now.getTime()));
    // Holds of AI calls torn down before they settled: already counted for nothing, deleted here.
    await cronStep("AI holds purge", () => purgeExpiredAiHolds(env.DB, now));
    // Trial files a build's cleanup missed (files/trial-sweep.ts): a bounded sweep every 10 minutes.
    await cronStep("trial files sweep", () => sweepTrialFilesOnTick(env.APP_FILES, now));
  },
} satisfies ExportedHandler<Env>;

export default platform;

/**
 * The same handler as a named entrypoint, so the local front door can reach `/api/*` through a direct socket: a
 * Worker with static assets is otherwise entered through miniflare's entry worker and assets router (measured: the
 * two cost more than the API route itself).
 */
export class PlatformEntry extends WorkerEntrypoint<Env> {
  override fetch(request: Request): Promise<Response> {
    // A socket's request carries the same incoming `cf` properties as the default handler's.
    return platform.fetch(request as Parameters<typeof platform.fetch>[0], this.env, this.ctx);
  }
}
