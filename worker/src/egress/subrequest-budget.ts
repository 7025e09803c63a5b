import { MAX_SUBREQUESTS_PER_REQUEST } from "../compiler/request-limits";

// Counts per request id in this isolate. On Cloudflare the loader's enforced
// `subRequests` limit is the real bound; this one makes local runs behave the same.
// The app's fetch wrapper (compiler/entry-wrapper.ts) refuses a request's calls past
// the first one over the limit itself, so a flood costs the isolate and this gate little.
const counts = new Map<string, { count: number; firstSeen: number }>();
const FORGET_AFTER_MS = 5 * 60_000;

/** Counts one outbound call of `requestId`; returns false once the budget is used up. */
export function takeSubrequest(requestId: string | null, limit = MAX_SUBREQUESTS_PER_REQUEST): boolean {
  if (requestId === null) return true;
  const now = Date.now();
  if (counts.size > 10_000) {
    for (const [id, entry] of counts) if (now - entry.firstSeen > FORGET_AFTER_MS) counts.delete(id);
  }
  const entry = counts.get(requestId) ?? { count: 0, firstSeen: now };
  entry.count += 1;
  counts.set(requestId, entry);
  return entry.count <= limit;
}
