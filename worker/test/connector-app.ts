// Helpers for the end-to-end connector tests: an app that imports kiln/<id>,
// uploaded through the API and served in a real Dynamic Worker, whose calls
// leave only through the real egress proxy to the loopback fakes.
import { expect } from "vitest";
import { type TestUser, visit } from "./api-client";
import { eventually } from "./fixtures";

/** A unique tag for one test's data, so its requests can be told apart in a fake shared by every test. */
export function runMarker(prefix: string): string {
  return `${prefix}${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
}

/** What the app answered a visitor: status, raw text (for secret scans) and the parsed JSON (`T`: what the route sends). */
export interface AppAnswer<T = unknown> {
  status: number;
  text: string;
  json: T;
}

/** Calls the deployed app as a visitor would, through the platform's app host; `T` is the shape the route answers. */
export async function askApp<T>(
  url: string,
  init?: { method?: string; body?: unknown; headers?: Record<string, string> },
): Promise<AppAnswer<T>> {
  const answer = await visit(url, {
    method: init?.method ?? "GET",
    headers: { ...(init?.body === undefined ? {} : { "content-type": "application/json" }), ...init?.headers },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
  });
  let json: unknown = null;
  try {
    json = JSON.parse(answer.text);
  } catch {
    json = null;
  }
  return { status: answer.status, text: answer.text, json: json as T };
}

/** Waits `ms` so a connection's per-second call budget fills up again. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Fails if any of `secrets` shows up in what the owner can read over the API
 * (connections, the app's egress audit, its logs) or in `appAnswers` (what the
 * app returned). Waits for `logLine` in the logs first, so the app's own
 * console output (which printed the upstream answers) is part of the scan.
 */
export async function expectSecretsNowhere(
  user: TestUser,
  appId: string,
  secrets: readonly string[],
  appAnswers: readonly AppAnswer<unknown>[],
  logLine: string,
): Promise<void> {
  await eventually(async () => {
    const logs = await user.call("GET", `/api/apps/${appId}/logs?limit=500`);
    return logs.text.includes(logLine);
  });
  const readable = [
    await user.call("GET", "/api/connections"),
    await user.call("GET", `/api/apps/${appId}/egress?limit=500`),
    await user.call("GET", `/api/apps/${appId}/logs?limit=500`),
  ];
  for (const answer of readable) expect(answer.status).toBe(200);
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThanOrEqual(8);
    for (const answer of readable) expect(answer.text).not.toContain(secret);
    for (const answer of appAnswers) expect(answer.text).not.toContain(secret);
  }
}

/** One audited outbound call, as `GET /api/apps/:id/egress` lists it. */
export interface AuditedCall {
  connector: string | null;
  method: string;
  host: string;
  path: string;
  outcome: string;
  status: number | null;
}

/** The app's audited outbound calls, oldest first. */
export async function auditedCalls(user: TestUser, appId: string): Promise<AuditedCall[]> {
  const answer = await user.call("GET", `/api/apps/${appId}/egress?limit=500`);
  expect(answer.status).toBe(200);
  return (answer.body.calls as AuditedCall[]).slice().reverse();
}
