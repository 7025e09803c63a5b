// A retried automation run repeats the writes its failed attempt already made. Stripe takes an idempotency key (the
// proxy sends the run's); Google and Airtable take none, so a retry would append the row or send the email again.
// For those, the proxy keeps each successful write of a run by its key (run key + ordinal, the same on every attempt)
// and the request's hash, and answers the same write again from here. A write that differs is sent as usual.
import type { Environment } from "../core/env";
import { toHex } from "../core/ids";

/** How long a run's writes are remembered: longer than any run retries (attempts back off over minutes). */
export const WRITE_REPLAY_DAYS = 7;
/** Writes remembered per app; older rows are dropped as new ones arrive. */
export const MAX_WRITE_REPLAYS_PER_APP = 2_000;
/** Larger answers are not kept (write answers are a few kilobytes); such a write is sent again on a retry. */
export const MAX_REPLAYED_BYTES = 256 * 1024;

/** Which write of which app: its run's write key and what it sends. */
export interface WriteIdentity {
  appId: string;
  environment: Environment;
  /** `<run key>:<n>`, set by the app's wrapper on the n-th write of a run. */
  writeKey: string;
  /** SHA-256 of the method, URL and body. */
  requestHash: string;
}

/** The hash that tells a repeated write from a different one. */
export async function requestHash(method: string, url: string, body: ArrayBuffer | null): Promise<string> {
  const head = new TextEncoder().encode(`${method} ${url}\n`);
  const bytes = new Uint8Array(head.byteLength + (body?.byteLength ?? 0));
  bytes.set(head, 0);
  if (body) bytes.set(new Uint8Array(body), head.byteLength);
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

/** The answer an earlier attempt of the run got for this very write, if it succeeded. */
export async function replayedWrite(db: D1Database, write: WriteIdentity): Promise<Response | null> {
  const since = new Date(Date.now() - WRITE_REPLAY_DAYS * 86_400_000).toISOString();
  const row = await db
    .prepare(
      "SELECT status, content_type, body FROM write_replays WHERE app_id = ? AND environment = ? AND write_key = ? AND request_hash = ? AND created_at > ?",
    )
    .bind(write.appId, write.environment, write.writeKey, write.requestHash, since)
    .first<{ status: number; content_type: string | null; body: ArrayBuffer | number[] }>();
  if (!row) return null;
  const headers = new Headers({ "x-kiln-replayed": "1" });
  if (row.content_type) headers.set("content-type", row.content_type);
  // D1 hands a BLOB back as an array of byte values.
  const body = row.body instanceof ArrayBuffer ? row.body : new Uint8Array(row.body);
  return new Response(row.status === 204 ? null : body, { status: row.status, headers });
}

/** Keeps a successful write's answer (already cleaned of secrets) for the run's retries; trims the app's oldest. */
export async function rememberWrite(db: D1Database, write: WriteIdentity, response: Response): Promise<void> {
  if (response.status < 200 || response.status >= 300) return;
  const body = await response.clone().arrayBuffer();
  if (body.byteLength > MAX_REPLAYED_BYTES) return;
  await db.batch([
    db
      .prepare(
        "INSERT OR IGNORE INTO write_replays (app_id, environment, write_key, request_hash, status, content_type, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .bind(
        write.appId,
        write.environment,
        write.writeKey,
        write.requestHash,
        response.status,
        response.headers.get("content-type"),
        body,
        new Date().toISOString(),
      ),
    db
      .prepare(
        "DELETE FROM write_replays WHERE app_id = ? AND id <= (SELECT id FROM write_replays WHERE app_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
      )
      .bind(write.appId, write.appId, MAX_WRITE_REPLAYS_PER_APP),
  ]);
}
