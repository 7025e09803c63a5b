// What one request of app code may use, known to both halves that enforce it: the wrapper the compiler writes into
// every bundle (inside the isolate) and the egress proxy (outside it). On Cloudflare the loader's `limits` are the
// real bound (isolates/app-runner.ts DEFAULT_LIMITS is made of these); locally these checks make runs behave the same.

/** Outbound calls one request may make. */
export const MAX_SUBREQUESTS_PER_REQUEST = 50;

/** The message an app sees once a request has used up its outbound calls. */
export function subrequestBudgetMessage(limit: number): string {
  return `this request made more than ${limit} outbound calls, the most one request may make; the call was refused`;
}
