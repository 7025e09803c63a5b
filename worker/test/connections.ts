// Test helpers for the connections tests: the real Worker entry with some
// platform variables changed (demo mode, the Google client, the master key),
// since one workerd serves every test file with the same bindings.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { expect } from "vitest";
import {
  GOOGLE_FAKE_CLIENT_ID,
  GOOGLE_FAKE_CLIENT_SECRET,
  GOOGLE_FAKE_USER,
} from "../../connectors/google/fake/credentials";
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

// The platform's Google client, registered at the fake (production sets these as secrets).
export const PLATFORM_CLIENT: Partial<Env> = {
  GOOGLE_CLIENT_ID: GOOGLE_FAKE_CLIENT_ID,
  GOOGLE_CLIENT_SECRET: GOOGLE_FAKE_CLIENT_SECRET,
};
/** The owner signs in with Google: Kiln's authorization URL, the fake's consent, the callback. */
export async function connectGoogle(
  user: TestUser,
  overrides: Partial<Env>,
  body: Record<string, unknown>,
): Promise<string> {
  const started = await callWithEnv(overrides, user, "PUT", "/api/connections/google", body);
  expect(started.status).toBe(200);
  const consent = await fetch(started.body.authorizationUrl as string, { redirect: "manual" });
  expect(consent.status).toBe(302);
  const back = new URL(consent.headers.get("location")!);
  const callback = await callWithEnv(overrides, user, "GET", `${back.pathname}${back.search}`);
  expect(callback.status).toBe(200);
  expect(callback.body.connection).toMatchObject({
    connector: "google",
    status: "connected",
    account: GOOGLE_FAKE_USER.email,
  });
  return callback.body.connection.id as string;
}
