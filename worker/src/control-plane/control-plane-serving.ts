import { visitorPages } from "../access/visitor-pages";
import { appDataStore } from "../data/app-data-store-stub";
import type { Env } from "../core/env";
import { appendLogs } from "../logs/log-store";
import type { AppRunner } from "../isolates/app-runner";
import { lookupApp } from "../serving/app-lookup";
import { runnerFailureResponse } from "../serving/runner-failure";
import type { ServingDeps } from "../serving/serve-app";
import { controlPlaneFiles } from "./files-gateway";

/**
 * Serving from the control plane: app hosts it receives itself (the workerd test pool and single-process runs,
 * where app isolates live in this process). Under `npm start` and on Cloudflare the runner serves app hosts.
 */
export function controlPlaneServing(env: Env, ctx: ExecutionContext, runner: AppRunner): ServingDeps {
  return {
    lookup: (slug) => lookupApp(env.DB, slug),
    runner,
    log: (entries) => appendLogs(env.DB, entries),
    waitUntil: (promise) => ctx.waitUntil(promise),
    runnerFailure: (error, failed) => runnerFailureResponse(error, env, ctx, failed),
    sessions: ({ appId, slug }, environment, tokenHash) =>
      appDataStore(env, { id: appId, slug }, environment).visitorSession(tokenHash),
    kilnPages: (request, slug, environment) => visitorPages(env, request, slug, environment),
    files: () => controlPlaneFiles(env),
  };
}
