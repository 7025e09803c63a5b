import { exports } from "cloudflare:workers";
import type { AppBundle } from "../compiler";
import type { AppTarget, RunLimits, SnippetTarget } from "./app-runner";
import { withEviction } from "./evictable";
import { withRequestMarks } from "./request-marks";
import { snippetRun } from "../core/records";

/**
 * Compatibility settings every app isolate runs with. Apps cannot import `node:*` nor use Node's globals (the build
 * refuses both), so the Node layer, a default at this date, is turned off: it cost ~4 ms of every isolate start.
 * nodejs_als keeps the one Node API the wrapper uses, AsyncLocalStorage.
 */
export const APP_COMPATIBILITY = {
  compatibilityDate: "2026-11-01",
  compatibilityFlags: ["no_nodejs_compat", "nodejs_als"],
} as const;

/** What the Worker Loader needs to start one app version: its code plus only the capabilities Kiln grants. */
export function appWorkerCode(
  target: AppTarget & { databaseName?: string },
  bundle: AppBundle,
  limits: RunLimits,
  markSecret: string | null = null,
): WorkerLoaderWorkerCode {
  const evictable = withEviction(bundle);
  const code = markSecret === null ? evictable : withRequestMarks(evictable, markSecret, target);
  const props = { appId: target.appId, environment: target.environment, version: target.version };
  return {
    ...APP_COMPATIBILITY,
    compatibilityFlags: [...APP_COMPATIBILITY.compatibilityFlags],
    mainModule: code.mainModule,
    modules: code.modules,
    env: {
      DB: exports.AppDatabaseGateway({
        props: { appId: target.appId, environment: target.environment, databaseName: target.databaseName },
      }),
      // Files of this app and environment only: the gateway composes every key from these props. A trial's scratch
      // database gives it scratch files too (files/file-scope.ts), so a build never touches the real ones.
      FILES: exports.AppFilesGateway({
        props: { appId: target.appId, environment: target.environment, databaseName: target.databaseName },
      }),
      CONFIG: target.config,
      KILN: props,
    },
    // Deny by default: every fetch() and connect() of the app goes through Kiln's egress proxy.
    globalOutbound: exports.EgressProxy({ props: { ...props, connectors: [...target.connectors] } }),
    tails: [exports.AppLogTail({ props })],
    limits,
  };
}

/**
 * An MCP snippet's isolate: its only binding is the typed Kiln client's gateway, acting for the owner in its props
 * (which the snippet's code cannot read), and it has no network at all.
 */
export function snippetWorkerCode(
  target: SnippetTarget,
  limits: RunLimits,
  markSecret: string | null = null,
): WorkerLoaderWorkerCode {
  const code =
    markSecret === null ? target.bundle : withRequestMarks(target.bundle, markSecret, snippetRun(target.props.userId));
  return {
    ...APP_COMPATIBILITY,
    compatibilityFlags: [...APP_COMPATIBILITY.compatibilityFlags],
    mainModule: code.mainModule,
    modules: code.modules,
    env: { KILN: exports.KilnApiGateway({ props: target.props }) },
    globalOutbound: null,
    limits,
  };
}
