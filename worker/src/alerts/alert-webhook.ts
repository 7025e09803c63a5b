// The alert webhook: where an owner may point it, and how each delivery is signed.
//
// Where: the same refusals as an app's outbound calls (core/host-rules.ts, shared with egress/destination.ts):
// https only, no user name, port, IP literal, look-alike letters or internal name — so an owner cannot aim Kiln
// at its own network (by name; what a public name resolves to is not checked).
// How: `x-kiln-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under the owner's signing secret,
// as Stripe signs its webhooks, so a receiver can check it came from Kiln, unchanged.
import { hasLookAlikeLabel, isIpLiteral, isPrivateDestination } from "../core/host-rules";
import { toHex } from "../core/ids";

/** The variable that lets tests and `npm start` use a loopback receiver (`http://127.0.0.1:<port>`); unset in production. */
export interface WebhookTargetEnv {
  KILN_ALERT_WEBHOOK_LOOPBACK?: string;
}

/** Longest webhook URL kept. */
export const MAX_WEBHOOK_URL_CHARS = 2048;

/** The URL as Kiln will call it, or why it may not (words for the owner). */
export type WebhookTargetVerdict = { ok: true; url: string } | { ok: false; reason: string };

/** Checks an alert webhook URL before it is stored, and again before each delivery. */
export function judgeWebhookTarget(raw: string, env: WebhookTargetEnv): WebhookTargetVerdict {
  if (raw.length > MAX_WEBHOOK_URL_CHARS)
    return { ok: false, reason: `the webhook URL is longer than ${MAX_WEBHOOK_URL_CHARS} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "the webhook URL is not a valid URL" };
  }
  const host = url.hostname.endsWith(".") ? url.hostname.slice(0, -1) : url.hostname;
  if (env.KILN_ALERT_WEBHOOK_LOOPBACK === "1" && url.protocol === "http:" && isLoopback(host))
    return url.username === "" && url.password === "" ? { ok: true, url: url.href } : refuseUser();
  if (url.protocol !== "https:") return { ok: false, reason: "the webhook URL must start with https://" };
  if (url.username !== "" || url.password !== "") return refuseUser();
  if (url.port !== "") return { ok: false, reason: "the webhook URL may not name a port (use the standard 443)" };
  if (isIpLiteral(host)) return { ok: false, reason: "the webhook URL must use a host name, not an IP address" };
  if (hasLookAlikeLabel(host)) return { ok: false, reason: `${host} uses look-alike (non-ASCII) letters` };
  if (!host.includes(".") || isPrivateDestination(host))
    return { ok: false, reason: `${host} is not a public host name` };
  return { ok: true, url: url.href };
}

function refuseUser(): WebhookTargetVerdict {
  return { ok: false, reason: "the webhook URL may not carry a user name or password (the request is signed instead)" };
}

function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
}

/** The host of a webhook URL, the only part of it Kiln writes to its own logs (a path may carry a token). */
export function webhookHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid URL)";
  }
}

/** The header a receiver reads. */
export const SIGNATURE_HEADER = "x-kiln-signature";

/** How old a signed delivery may be before a receiver should refuse it (replays). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

async function hmac(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return toHex(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text))));
}

/** The header value for `body` sent at `now`. */
export async function signAlertBody(secret: string, body: string, now: Date): Promise<string> {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${await hmac(secret, `${t}.${body}`)}`;
}

/** What a receiver does: true when `header` signs `body` with `secret` and is no older than the tolerance. */
export async function verifyAlertSignature(secret: string, body: string, header: string, now: Date): Promise<boolean> {
  const parts = new Map(header.split(",").map((part) => part.split("=", 2) as [string, string]));
  const t = Number(parts.get("t"));
  const given = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || Math.abs(now.getTime() / 1000 - t) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = await hmac(secret, `${t}.${body}`);
  if (expected.length !== given.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ given.charCodeAt(i);
  return difference === 0;
}
