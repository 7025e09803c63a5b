import { parseAppHost } from "../placement/app-host";
import { DEFAULT_BUDGETS, admit } from "../serving/budgets";
import { busyPage, restartingPage, visitorPage } from "../serving/pages";
import { runnerIndex } from "../placement/runner-index";
import type { FrontEnv } from "./front-env";
import { stampForRunner } from "./front-headers";

/**
 * The front door `npm start` puts on its port: a workerd process of its own that sends each request by its host,
 * app hosts to the runner that serves the app, everything else to the control plane. It plays the part of
 * Cloudflare's routes, so a visitor's request crosses one app runner and nothing else, and a hung or restarting
 * runner leaves the workspace and the other runners' apps answering.
 */
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const host = parseAppHost(url.host, env.APPS_DOMAIN);
    if (!host) {
      const api = url.pathname === "/api" || url.pathname.startsWith("/api/");
      try {
        return await (api && env.CONTROL_API ? env.CONTROL_API : env.CONTROL).fetch(request);
      } catch {
        return visitorPage(502, "Kiln is starting", "The workspace is not answering yet. Try again in a moment.");
      }
    }
    const runner = env[`RUNNER_${runnerIndex(host.slug, Number(env.RUNNER_COUNT))}`];
    const stamped = stampForRunner(request, env.KILN_FRONT_SECRET);
    // A burst of one app waits its turn here, so it never fills the line to the runner ahead of other apps.
    const release = await admit(`${host.slug}:${host.environment}`, DEFAULT_BUDGETS);
    if (!release) return busyPage(stamped.requestId);
    try {
      return await runner.fetch(stamped.request);
    } catch {
      // The runner was killed or is restarting: its supervisor records why, and the app is back in seconds.
      return restartingPage(stamped.requestId);
    } finally {
      release();
    }
  },
} satisfies ExportedHandler<FrontEnv>;
