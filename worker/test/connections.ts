// Test helpers for the connections tests: the real Worker entry with some
// platform variables changed (demo mode, the Google client, the master key),
// since one workerd serves every test file with the same bindings.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { PLATFORM, type TestUser } from "./api-client";
import type { Env } from "../src/core/env";
import worker from "../src/control-plane/index";

/** An API answer as the tests read it (the same shape as `TestUser.call`). */
export type ApiAnswer = Awaited<ReturnType<TestUser["call"]>>;

/** Calls the platform as `user` through the Worker's fetch handler, with `overrides` merged into the bindings. */
export async function callWithEnv(
  overrides: Partial<Env>,
  user: TestUser,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { authorization: `Bearer ${user.token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const request = new Request(`${PLATFORM}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: "manual",
  });
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    request as Request<unknown, IncomingRequestCfProperties>,
    { ...env, ...overrides },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const text = await response.text();
  let parsed: ApiAnswer["body"] = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: response.status, body: parsed, text, headers: response.headers };
}

/** Every audit record and app log row, as text, for secret scans. */
export async function recordedText(): Promise<string> {
  const audit = await env.DB.prepare("SELECT action, detail_json FROM audit_events").all();
  const logs = await env.DB.prepare("SELECT message FROM app_logs").all();
  return JSON.stringify([audit.results, logs.results]);
}
