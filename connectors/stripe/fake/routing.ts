// How the fake's endpoints are declared and matched: `route("GET", "/v1/customers/:id", handle)`.
import type { Params } from "./params.ts";
import type { FakeStripeState } from "./store.ts";

/** The HTTP methods Stripe's v1 API uses. */
export type FakeMethod = "GET" | "POST" | "DELETE";

/** What an endpoint gets: the account, its params (query or form body) and the ids in its path. */
export interface RouteContext {
  state: FakeStripeState;
  params: Params;
  /** Values of the `:name` segments, in order. */
  ids: string[];
  /** The request's `expand[]` paths; the server applies them to the result. */
  expand: readonly string[];
}

/** One endpoint. `handle` returns the response object or throws a FakeStripeError. */
export interface FakeRoute {
  method: FakeMethod;
  pattern: RegExp;
  handle(context: RouteContext): unknown;
}

/** Declares an endpoint; `:name` segments match one path segment each. */
export function route(method: FakeMethod, path: string, handle: (context: RouteContext) => unknown): FakeRoute {
  const pattern = new RegExp(`^${path.replace(/:[a-z_]+/g, "([^/]+)")}$`);
  return { method, pattern, handle };
}

/** The endpoint for `method path`, and the decoded ids in its path. */
export function findRoute(
  routes: readonly FakeRoute[],
  method: string,
  path: string,
): { route: FakeRoute; ids: string[] } | undefined {
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const match = candidate.pattern.exec(path);
    if (match !== null) return { route: candidate, ids: match.slice(1).map((id) => decodeURIComponent(id)) };
  }
  return undefined;
}
