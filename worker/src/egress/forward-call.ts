import { IDEMPOTENCY_HEADER, REQUEST_ID_HEADER } from "../core/headers";
import type { ConnectorRule } from "../../../connectors/types";
import { type EgressCredential, accessTokenAfterUnauthorized, upstreamUrl } from "../connections";
import type { Env } from "../core/env";
import { judgeDestination } from "./destination";

/** Largest upstream response the proxy hands back to an app (connector APIs answer in kilobytes). */
export const MAX_UPSTREAM_RESPONSE_BYTES = 10 * 1024 * 1024;
const MAX_REDIRECTS = 5;

/** An upstream answer the app cannot be given; the message is safe to show (no secret). */
export class UpstreamRefusedError extends Error {
  override readonly name = "UpstreamRefusedError";
}

// Headers an app may not pass on: credentials of its own, cookies, and Kiln's own.
const DROPPED_REQUEST_HEADERS = [
  "authorization",
  "proxy-authorization",
  "cookie",
  "host",
  REQUEST_ID_HEADER,
  "cf-connecting-ip",
  "x-forwarded-for",
  "x-real-ip",
];

/** What a forwarded call produced: the response for the app and the figures for the audit. */
export interface ForwardedCall {
  response: Response;
  bytes: number;
}

/**
 * Sends one allowed call to the connector's upstream with the owner's
 * credential, the way the app wrote it otherwise. Redirects are followed
 * here, and only to the same connector's hosts; an expired Google token is
 * refreshed once on a 401. The response is read whole, so every trace of the
 * credential can be cut out of it before the app sees it.
 */
export async function forwardWithCredential(
  env: Env,
  rule: ConnectorRule,
  url: URL,
  request: Request,
  credential: EgressCredential,
): Promise<ForwardedCall> {
  const body = request.body === null ? null : await request.arrayBuffer();
  let token = credential.token;
  let method = request.method;
  let sentBody = body;
  let target = url;
  let refreshed = false;
  for (let hop = 0; ; hop++) {
    const upstream = await fetch(upstreamUrl(env, rule, target.host, `${target.pathname}${target.search}`), {
      method,
      headers: outboundHeaders(request.headers, rule, token),
      body: sentBody,
      redirect: "manual",
    });
    if (upstream.status === 401 && rule.kind === "oauth2" && !refreshed) {
      await upstream.body?.cancel();
      token = await accessTokenAfterUnauthorized(env, credential.connectionId, token);
      refreshed = true;
      hop--;
      continue;
    }
    const location = upstream.headers.get("location");
    if (upstream.status >= 300 && upstream.status < 400 && location !== null) {
      await upstream.body?.cancel();
      if (hop >= MAX_REDIRECTS)
        throw new UpstreamRefusedError(
          `${rule.label} redirected more than ${MAX_REDIRECTS} times; the call was stopped`,
        );
      const next = judgeDestination(new URL(location, target).href, [rule]);
      // The credential never follows a redirect to a host outside the connector.
      if (!next.allowed)
        throw new UpstreamRefusedError(
          `${rule.label} redirected to an address this app may not call (${next.reason}); the redirect was not followed`,
        );
      if (upstream.status === 303 || ((upstream.status === 301 || upstream.status === 302) && method === "POST")) {
        method = "GET";
        sentBody = null;
      }
      target = next.url;
      continue;
    }
    return await withoutSecrets(upstream, [credential.token, token]);
  }
}

function outboundHeaders(appHeaders: Headers, rule: ConnectorRule, token: string): Headers {
  const headers = new Headers(appHeaders);
  const runKey = headers.get(IDEMPOTENCY_HEADER);
  for (const name of DROPPED_REQUEST_HEADERS) headers.delete(name);
  headers.delete(IDEMPOTENCY_HEADER);
  if (runKey && rule.idempotency) {
    // In an automation run: a retry sends the same key, so the service does the write once.
    const { header, generatedPrefix } = rule.idempotency;
    const appKey = headers.get(header);
    if (appKey === null || appKey.startsWith(generatedPrefix)) headers.set(header, runKey);
  }
  for (const [name, value] of Object.entries(rule.fixedHeaders ?? {})) headers.set(name, value);
  headers.set(rule.inject.header, `${rule.inject.scheme} ${token}`);
  return headers;
}

async function withoutSecrets(upstream: Response, secrets: readonly string[]): Promise<ForwardedCall> {
  const declared = Number(upstream.headers.get("content-length") ?? "0");
  const tooLarge = () =>
    new UpstreamRefusedError(
      `the answer was larger than ${MAX_UPSTREAM_RESPONSE_BYTES / 1024 / 1024} MB, the most an app may receive from a connector`,
    );
  if (declared > MAX_UPSTREAM_RESPONSE_BYTES) {
    await upstream.body?.cancel();
    throw tooLarge();
  }
  const bytes = new Uint8Array(await upstream.arrayBuffer());
  if (bytes.byteLength > MAX_UPSTREAM_RESPONSE_BYTES) throw tooLarge();
  for (const secret of secrets) maskInPlace(bytes, secret);
  const headers = new Headers();
  upstream.headers.forEach((value, name) => {
    if (name === "set-cookie" || name === "content-length" || name === "content-encoding") return;
    headers.set(
      name,
      secrets.reduce((text, secret) => text.split(secret).join("*".repeat(secret.length)), value),
    );
  });
  return {
    response: new Response(upstream.status === 204 || upstream.status === 304 ? null : bytes, {
      status: upstream.status,
      statusText: upstream.statusText,
      headers,
    }),
    bytes: bytes.byteLength,
  };
}

/** Overwrites every occurrence of `secret` (ASCII) in `bytes` with asterisks, keeping the length. */
export function maskInPlace(bytes: Uint8Array, secret: string): void {
  if (secret.length < 8) return;
  const needle = new TextEncoder().encode(secret);
  const star = 42;
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    bytes.fill(star, i, i + needle.length);
    i += needle.length - 1;
  }
}
