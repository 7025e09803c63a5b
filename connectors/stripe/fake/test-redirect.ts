// `/__fake/redirect`: an upstream redirect whose target a test chooses, so the
// egress proxy's redirect handling (follow within the connector, never carry
// the credential elsewhere) can be tested against a real 3xx on the wire.

/** The redirect statuses a test may ask for. */
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** A redirect answer, or why the control request was malformed. */
export type TestRedirect = { status: number; location: string } | { status: 400; error: string };

/**
 * `?to=<url>&status=<3xx, default 302>&hops=<n, default 1>`: answers `status`
 * with `Location: to`; with `hops` > 1 it first sends the caller back here
 * (a relative Location) with one hop less, to build redirect chains.
 */
export function testRedirect(query: URLSearchParams): TestRedirect {
  const to = query.get("to");
  if (to === null || to === "") return { status: 400, error: "to: the Location to answer with is required" };
  const status = Number(query.get("status") ?? "302");
  if (!REDIRECT_STATUSES.has(status))
    return { status: 400, error: `status: one of ${[...REDIRECT_STATUSES].join(", ")}` };
  const hops = Number(query.get("hops") ?? "1");
  if (!Number.isInteger(hops) || hops < 1 || hops > 50)
    return { status: 400, error: "hops: a whole number from 1 to 50" };
  if (hops === 1) return { status, location: to };
  const next = new URLSearchParams({ to, status: String(status), hops: String(hops - 1) });
  return { status, location: `/__fake/redirect?${next}` };
}
