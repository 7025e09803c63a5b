import type { ConnectorId } from "../../../connectors/types";

/** Calls per second one connection may carry, a little under each service's own limit. */
export const CALLS_PER_SECOND: Readonly<Record<ConnectorId, number>> = { stripe: 25, airtable: 5, google: 10, ai: 5 };

/**
 * Calls one connection may make at once before the rate applies. Airtable
 * refuses a sixth call in a second outright; Stripe and Google count per
 * minute or tolerate bursts, so a page that makes a dozen calls still works.
 * AI is counted per app (a loop cannot hammer a provider); its monthly budget is the real bound.
 */
export const BURST: Readonly<Record<ConnectorId, number>> = { stripe: 50, airtable: 5, google: 30, ai: 10 };

// One bucket per connection in this isolate.
const buckets = new Map<string, { tokens: number; updatedAt: number }>();

/** Takes one call from the connection's budget; false when the app must slow down. */
export function takeConnectionCall(connectionId: string, connector: ConnectorId, now = Date.now()): boolean {
  const rate = CALLS_PER_SECOND[connector];
  const burst = BURST[connector];
  // A bucket untouched for a minute is full again: forgetting it changes nothing.
  if (buckets.size > 10_000) for (const [id, idle] of buckets) if (now - idle.updatedAt > 60_000) buckets.delete(id);
  const bucket = buckets.get(connectionId) ?? { tokens: burst, updatedAt: now };
  bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rate);
  bucket.updatedAt = now;
  buckets.set(connectionId, bucket);
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

/** What the app (and its logs) are told when a connection's budget is used up. */
export function rateLimitedMessage(label: string, connector: ConnectorId): string {
  return `too many calls to ${label}: this app's owner's ${label} connection allows at most ${CALLS_PER_SECOND[connector]} per second; wait a moment and try again`;
}
