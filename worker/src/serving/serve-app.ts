import { SESSION_COOKIE_NAMES } from "../core/cookies";
import { newId } from "../core/ids";
import type { NewLogEntry } from "../logs/log-store";
import type { AppRunner } from "../isolates/app-runner";
import type { AppHost } from "../placement/app-host";
import { DEFAULT_BUDGETS, type ServingBudgets, admit, limitResponseBody, responseTooLargeMessage } from "./budgets";
import { keepCookiesOnHost } from "./app-cookies";
import { busyPage, visitorPage } from "./pages";
import { type ServedApp, servedConnectors, servedVersion, servesTools } from "./served-app";
import { KILN_PATH, stripVisitorCookie } from "./visitor-cookie";
import { type SessionLookup, checkVisitor } from "./visitor-gate";
import { isMcpPath, serveMcp } from "./mcp-serving";
import { KILN_HEADER_PREFIX, REQUEST_ID_HEADER, VISITOR_HEADER } from "../core/headers";
import { FILES_PATH } from "../files/file-links";
import type { FilesBackend } from "../files/files-backend";
import { serveFileLink } from "./serve-file";

/** Header carrying the request id into the app (stripped by its wrapper) and back to the visitor. */

/** Which app request a failure happened in. */
export interface FailedRequest {
  appId: string;
  host: AppHost;
  version: string;
  requestId: string;
}

/** What serving needs from the process it runs in: the control plane (single-process mode) or the runner. */
export interface ServingDeps {
  /** The app at a slug (null: none): the runner's pushed routing table, or the control plane's database. */
  lookup(slug: string): Promise<ServedApp | null>;
  runner: AppRunner;
  /** Writes log lines of the app; the promise settles when they are stored or queued. */
  log(entries: NewLogEntry[]): Promise<void>;
  waitUntil(promise: Promise<unknown>): void;
  /** The request's id when a trusted front door already gave it one (so its error pages name the same id). */
  requestId?: string | null;
  budgets?: ServingBudgets;
  /** Visitors' sessions, read from the app environment's database. */
  sessions: SessionLookup;
  /** Kiln's own pages under `/_kiln/` of an app host (sign-in, sign-out), answered by the control plane. */
  kilnPages(request: Request, slug: string, environment: AppHost["environment"]): Promise<Response>;
  /** The apps' stored files in this process, for signed links under `/_kiln/files/`; absent: such links 404. */
  files?(): Pick<FilesBackend, "bucket" | "index" | "linkKey">;
  /** A page for failures particular to where the app runs (a lost runner), or null for the others. */
  runnerFailure?(error: unknown, failed: FailedRequest): Response | null;
}

/**
 * Serves a visitor's request on an app host: finds the version the host
 * serves and hands the request to its cached isolate. Failures become plain
 * pages with a request id; details go to the app's logs only.
 */
export async function serveApp(request: Request, host: AppHost, deps: ServingDeps): Promise<Response> {
  const budgets = deps.budgets ?? DEFAULT_BUDGETS;
  const app = await deps.lookup(host.slug);
  if (!app) return visitorPage(404, "App not found", "There is no app at this address. Check the link you followed.");
  const url = new URL(request.url);
  // A signed file link is Kiln's to answer, but only to visitors the environment's rule admits.
  if (url.pathname.startsWith(FILES_PATH) && deps.files) {
    const gate = await checkVisitor(request, url, app, host.environment, app.access[host.environment], deps.sessions);
    if (!gate.pass) return gate.response;
    return serveFileLink(request, url, { appId: app.appId, environment: host.environment }, deps.files());
  }
  if (url.pathname.startsWith(KILN_PATH)) return deps.kilnPages(request, host.slug, host.environment);
  const version = servedVersion(app, host.environment);
  if (!version) {
    const what = host.environment === "live" ? "has not been published yet" : "has no preview yet";
    return visitorPage(404, app.name, `This app ${what}.`);
  }
  if (app.quarantined.includes(version)) {
    return visitorPage(
      503,
      `${app.name} is paused`,
      "This app stopped working properly and has been paused by Kiln. Its owner has been told why; please try again later.",
    );
  }
  // `/mcp` and its OAuth metadata are Kiln's only when the version exports tools; otherwise they are the app's paths.
  if (servesTools(app, host.environment) && isMcpPath(url.pathname))
    return serveMcp(request, url, app, host, version, deps);
  const gate = await checkVisitor(request, url, app, host.environment, app.access[host.environment], deps.sessions);
  if (!gate.pass) return gate.response;
  const requestId = deps.requestId ?? newId("req");
  const release = await admit(`${app.appId}:${host.environment}`, budgets);
  if (!release) {
    const log = { appId: app.appId, environment: host.environment, version, requestId, level: "warn" as const };
    await deps.log([
      {
        ...log,
        message: `Turned a visitor away: ${budgets.maxInFlightPerApp} requests were in progress and ${budgets.maxQueuedPerApp} more waiting (or this one waited ${Math.round(budgets.maxQueueWaitMs / 1000)} s).`,
      },
    ]);
    return busyPage(requestId);
  }
  const headers = new Headers(request.headers);
  stripPlatformHeaders(headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  stripPlatformSession(headers);
  stripVisitorCookie(headers, url);
  if (gate.visitor) headers.set(VISITOR_HEADER, JSON.stringify(gate.visitor));
  const forwarded = new Request(request, { headers });
  try {
    const target = {
      appId: app.appId,
      environment: host.environment,
      version,
      config: app.config,
      connectors: servedConnectors(app, host.environment),
    };
    const response = await deps.runner.serve(target, forwarded);
    const tooLarge = () =>
      deps.log([
        {
          appId: app.appId,
          environment: host.environment,
          version,
          requestId,
          level: "error",
          message: `Cut off a response: ${responseTooLargeMessage(budgets.maxResponseBytes)}.`,
        },
      ]);
    const limited = await limitResponseBody(response, budgets.maxResponseBytes, () => deps.waitUntil(tooLarge()));
    if (!limited) {
      await response.body?.cancel();
      await tooLarge();
      return visitorPage(
        502,
        "Something went wrong",
        "This app tried to send a response that is too large.",
        requestId,
      );
    }
    limited.headers.set(REQUEST_ID_HEADER, requestId);
    keepCookiesOnHost(limited.headers);
    return limited;
  } catch (error) {
    const runnerFailure = deps.runnerFailure?.(error, { appId: app.appId, host, version, requestId });
    if (runnerFailure) return runnerFailure;
    // Uncaught errors inside the app reach its logs through the tail; this
    // records failures of the platform side (e.g. a missing bundle) too, and
    // a guard stop, whose tail can be cut short by the flood it stopped.
    if (!isAppException(error)) {
      await deps.log([
        {
          appId: app.appId,
          environment: host.environment,
          version,
          requestId,
          level: "error",
          message: `Kiln could not run this version: ${describe(error)}`,
        },
      ]);
    } else if (isGuardStop(error)) {
      deps.waitUntil(
        deps.log([
          {
            appId: app.appId,
            environment: host.environment,
            version,
            requestId,
            level: "error",
            message: `Request stopped: ${describe(error)}.`,
          },
        ]),
      );
    }
    return visitorPage(
      500,
      "Something went wrong",
      "This app ran into an error while handling your request. Its owner can find the details in the app's logs.",
      requestId,
    );
  } finally {
    release();
  }
}

// `x-kiln-*` headers are Kiln's to send (request id, automation runs): a visitor's are dropped.
function stripPlatformHeaders(headers: Headers): void {
  const ours = [...headers.keys()].filter((name) => name.startsWith(KILN_HEADER_PREFIX));
  for (const name of ours) headers.delete(name);
}

// Apps never see a visitor's Kiln session, even where a browser would send it.
function stripPlatformSession(headers: Headers): void {
  const cookie = headers.get("cookie");
  if (!cookie || !SESSION_COOKIE_NAMES.some((name) => cookie.includes(`${name}=`))) return;
  const kept = cookie
    .split(";")
    .filter((part) => !SESSION_COOKIE_NAMES.some((name) => part.trim().startsWith(`${name}=`)));
  if (kept.length > 0) headers.set("cookie", kept.map((part) => part.trim()).join("; "));
  else headers.delete("cookie");
}

// Errors thrown by the app's own code cross the loader boundary as plain Errors; platform errors carry our names.
function isAppException(error: unknown): boolean {
  return !(error instanceof Error && error.name === "BundleMissingError");
}

// The loop guards' own words (worker/src/compiler/guard-runtime.ts).
function isGuardStop(error: unknown): boolean {
  return (
    error instanceof Error && /ran longer than .* of CPU; the app was stopped|recursed without end/.test(error.message)
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
