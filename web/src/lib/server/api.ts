// The only way the web UI talks to Kiln: the platform's Hono API, called in
// process through `platform.env.KILN_API` (see worker/src/control-plane/web-ui.ts). The
// browser's `kiln_session` cookie is forwarded; Set-Cookie headers the API
// returns are handed back to the browser by hooks.server.ts.
import { error, fail, redirect, type RequestEvent } from "@sveltejs/kit";
import { dev } from "$app/environment";
import { env as privateEnv } from "$env/dynamic/private";
import { takeEvents } from "$lib/chat/sse-reader";

// The cookie's name as the API sets it (`__Host-` under https), from the worker's own definition.
import { SESSION_COOKIE, sessionCookieName } from "$kiln-core/cookies";

export { SESSION_COOKIE, sessionCookieName };

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A failed API call, in words a person can act on. */
export interface ApiProblem {
  ok: false;
  status: number;
  code: string;
  message: string;
  /** The whole error body, for extra fields such as `diagnostics` or `changes`. */
  body: Record<string, unknown>;
}

export type ApiResult<T> = { ok: true; status: number; data: T } | ApiProblem;

/** Said when the API's own message is missing (e.g. a proxy error page). */
const FALLBACK_MESSAGES: Record<string, string> = {
  bad_request: "Kiln could not use what was sent. Check the form and try again.",
  unauthorized: "You are not signed in, or your session has ended. Sign in again.",
  forbidden: "You do not have access to that.",
  not_found: "That could not be found. It may have been deleted.",
  conflict: "That conflicts with the current state. Reload the page and try again.",
  email_taken: "There is already an account with that email. Sign in instead.",
  invalid_credentials: "That email and password do not match an account.",
  build_failed: "The code did not build. Fix the problems listed below and save again.",
  destructive_change: "This change would delete live data and needs your confirmation.",
  payload_too_large: "That is too large to upload.",
  upstream_failed: "Kiln's API did not answer. Try again in a moment.",
  internal: "Something went wrong inside Kiln. Try again; if it keeps happening, check the server logs.",
};

const FORWARDED_HEADERS = ["user-agent", "cf-connecting-ip", "accept-language"];

/** Calls the platform API as the person making `event`'s request. Never throws. */
export async function callApi<T>(
  event: RequestEvent,
  method: Method,
  path: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  const response = await send(event, method, path, body, "application/json");
  if (!(response instanceof Response)) return response;
  return readResult<T>(response);
}

/** Sends `bytes` (an uploaded file, e.g. an app's zip) as the body; the answer is JSON as for `callApi`. */
export async function callApiWithBytes<T>(
  event: RequestEvent,
  path: string,
  bytes: Uint8Array<ArrayBuffer>,
  type: string,
): Promise<ApiResult<T>> {
  const response = await send(event, "POST", path, new RawBody(bytes, type), "application/json");
  if (!(response instanceof Response)) return response;
  return readResult<T>(response);
}

/** A GET whose answer is a file (an export): the API's own response when it succeeded, its problem when not. */
export async function downloadFromApi(event: RequestEvent, path: string): Promise<Response | ApiProblem> {
  const response = await send(event, "GET", path, undefined, "*/*");
  if (!(response instanceof Response) || response.ok) return response;
  const failed = await readResult<never>(response);
  return failed.ok ? problem(response.status, "internal", FALLBACK_MESSAGES.internal ?? "") : failed;
}

/** A body sent as it is, not as JSON. */
class RawBody {
  constructor(
    readonly bytes: Uint8Array<ArrayBuffer>,
    readonly type: string,
  ) {}
}

/**
 * Posts to a streaming endpoint (a chat turn) and waits for the whole stream:
 * the no-JavaScript path, where the browser waits for the page instead of
 * reading events. Returns the events' `event` names and JSON data.
 */
export async function callStreamingApi(
  event: RequestEvent,
  path: string,
  body: unknown,
): Promise<ApiResult<{ event: string; data: Record<string, unknown> }[]>> {
  const response = await send(event, "POST", path, body, "text/event-stream");
  if (!(response instanceof Response)) return response;
  if (!response.ok || !(response.headers.get("content-type") ?? "").includes("text/event-stream"))
    return readResult(response);
  const { events } = takeEvents(`${await response.text()}\n\n`);
  return {
    ok: true,
    status: response.status,
    data: events.map((e) => ({ event: e.event, data: JSON.parse(e.data) as Record<string, unknown> })),
  };
}

async function send(
  event: RequestEvent,
  method: Method,
  path: string,
  body: unknown,
  accept: string,
): Promise<Response | ApiProblem> {
  const api = event.platform?.env?.KILN_API ?? (dev ? devApi() : undefined);
  if (!api) {
    return problem(
      503,
      "upstream_failed",
      "The Kiln API is not connected to this web UI (platform.env.KILN_API is missing).",
    );
  }
  const headers = new Headers({ accept });
  for (const name of FORWARDED_HEADERS) {
    const value = event.request.headers.get(name);
    if (value) headers.set(name, value);
  }
  const cookieName = sessionCookieName(event.url);
  const session = rawCookie(event.request.headers.get("cookie"), cookieName);
  if (session !== null) headers.set("cookie", `${cookieName}=${session}`);
  if (body !== undefined) headers.set("content-type", body instanceof RawBody ? body.type : "application/json");

  let response: Response;
  try {
    const url = new URL(path, event.url);
    response = await api.fetch(
      new Request(url, {
        method,
        headers,
        body: body === undefined ? undefined : body instanceof RawBody ? body.bytes : JSON.stringify(body),
      }),
    );
  } catch (cause) {
    console.error(`KILN_API ${method} ${path} threw`, cause);
    return problem(502, "upstream_failed", FALLBACK_MESSAGES.upstream_failed ?? "");
  }
  for (const cookie of response.headers.getSetCookie()) event.locals.apiSetCookies.push(cookie);
  return response;
}

async function readResult<T>(response: Response): Promise<ApiResult<T>> {
  const parsed = await readJsonBody(response);
  if (response.ok) return { ok: true, status: response.status, data: parsed as T };

  const bodyObject = isRecord(parsed) ? parsed : {};
  const err = isRecord(bodyObject.error) ? bodyObject.error : {};
  const code = typeof err.code === "string" ? err.code : codeForStatus(response.status);
  const message =
    typeof err.message === "string" && err.message.trim() !== ""
      ? err.message
      : (FALLBACK_MESSAGES[code] ?? `Kiln's API answered HTTP ${response.status}.`);
  return { ok: false, status: response.status, code, message, body: bodyObject };
}

/** For `load`: the data, or a redirect to sign-in (401) or SvelteKit's error page. */
export async function loadFromApi<T>(event: RequestEvent, path: string): Promise<T> {
  const result = await callApi<T>(event, "GET", path);
  if (result.ok) return result.data;
  raise(event, result);
}

/** For `load`: a redirect to sign-in (401) or SvelteKit's error page with the API's words. */
export function raise(event: RequestEvent, result: ApiProblem): never {
  if (result.status === 401) redirect(303, signInUrl(event.url));
  error(httpErrorStatus(result.status), { message: result.message, code: result.code });
}

/** For actions: a 401 becomes a redirect to sign-in, anything else `fail(status, data)`. */
export function failWith<D extends Record<string, unknown>>(event: RequestEvent, result: ApiProblem, data: D) {
  if (result.status === 401) redirect(303, signInUrl(event.url));
  return fail(httpErrorStatus(result.status), data);
}

/**
 * `vite dev` has no platform Worker around it: talk to a running Kiln over HTTP
 * instead (KILN_DEV_API, default http://localhost:8787 — start one with `npm start`).
 */
function devApi(): App.Platform["env"]["KILN_API"] {
  const origin = privateEnv.KILN_DEV_API ?? "http://localhost:8787";
  return {
    async fetch(request) {
      const url = new URL(request.url);
      const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.text();
      return fetch(new URL(url.pathname + url.search, origin), {
        method: request.method,
        headers: request.headers,
        body,
      });
    },
  };
}

/** `/login?next=<current path>` so signing in returns to where the person was. */
export function signInUrl(from: URL): string {
  const next = from.pathname + from.search;
  return next === "/" || next.startsWith("/login") ? "/login" : `/login?next=${encodeURIComponent(next)}`;
}

export { safeNext } from "./safe-next";

/** `encodeURIComponent` for path segments of API URLs. */
export const seg = encodeURIComponent;

/** A trimmed text field of a submitted form ("" when absent). */
export function textField(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === "string" ? value.trim() : "";
}

/** A form field exactly as typed (passwords, source code). */
export function rawField(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === "string" ? value : "";
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function problem(status: number, code: string, message: string): ApiProblem {
  return { ok: false, status, code, message, body: {} };
}

function codeForStatus(status: number): string {
  if (status === 400) return "bad_request";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 413) return "payload_too_large";
  if (status === 502 || status === 503 || status === 504) return "upstream_failed";
  return "internal";
}

function httpErrorStatus(status: number): number {
  return status >= 400 && status <= 599 ? status : 500;
}

async function readJsonBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The value of one cookie exactly as the browser sent it (no decoding). */
function rawCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
