import { api } from "./api";
import { parseAppHost } from "./serving/app-host";
import type { Env } from "./env";
import { appRunnerFor } from "./runner/app-runner-for";
import { controlPlaneServing } from "./serving/control-plane-serving";
import { serveApp } from "./serving/serve-app";
import { serveWebUi } from "./ui/web-ui";
import { tickAutomations } from "./automations/tick";

export { AppDataStore } from "./data/app-data-store";
export { AutomationDispatcher } from "./automations/dispatcher";
export { AppDatabaseGateway } from "./data/app-database-gateway";
export { EgressProxy } from "./egress/egress-proxy";
export { AppLogTail } from "./logs/app-log-tail";
export { RunnerCapabilities } from "./runner/runner-capabilities";

/**
 * The platform Worker: app hosts go to the app's Dynamic Worker, `/api/*`
 * to the JSON API, everything else on the platform host to the web UI.
 */
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const appHost = parseAppHost(url.host, env.APPS_DOMAIN);
    if (appHost) return serveApp(request, appHost, controlPlaneServing(env, ctx, appRunnerFor(env, appHost.slug)));
    if (url.pathname === "/api" || url.pathname.startsWith("/api/")) return api.fetch(request, env, ctx);
    return serveWebUi(request, env, ctx, { fetch: (apiRequest) => Promise.resolve(api.fetch(apiRequest, env, ctx)) });
  },
  // The one cron trigger (wrangler.jsonc, every minute; `npm start` fires it locally): start every due automation.
  async scheduled(controller, env) {
    const report = await tickAutomations(env, new Date(controller.scheduledTime));
    if (report.due + report.redispatched + report.abandoned > 0)
      console.log(`automations tick: ${JSON.stringify(report)}`);
  },
} satisfies ExportedHandler<Env>;
