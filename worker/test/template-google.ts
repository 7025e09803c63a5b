// Test setup for Google templates: the owner signs in with Google through Kiln's
// real OAuth flow against the Google fake (as google-through-proxy.test.ts does).
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { GOOGLE_FAKE_ACCESS_TOKEN } from "../../connectors/google/fake/credentials";
import type { TestUser } from "./api-client";
import { PLATFORM_CLIENT, connectGoogle as connectGoogleWith } from "./connections";

/** Connects the owner's Google account: Kiln's authorization URL, the fake's consent, the callback. */
export async function connectGoogle(user: TestUser): Promise<void> {
  await connectGoogleWith(user, PLATFORM_CLIENT, {});
}

/** A call straight to the Google fake with its ready-made token, as the owner looking at their account. */
export async function googleFake<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${env.GOOGLE_API_BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${GOOGLE_FAKE_ACCESS_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

/**
 * A spreadsheet the owner made in Google's own pages (not through an app), with the given tabs and rows: it is in
 * their Drive, where an app finds it by name. Returns its id.
 */
export async function ownerSpreadsheet(
  title: string,
  sheets: { title: string; rows?: (string | number)[][] }[] = [],
): Promise<string> {
  const response = await fetch(`${env.GOOGLE_API_BASE}/__fake/sheets/spreadsheets`, {
    method: "POST",
    body: JSON.stringify({ title, sheets }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { spreadsheetId: string }).spreadsheetId;
}

/** Every email the fake's Gmail sent. */
export async function sentEmails(): Promise<
  { id: string; subject: string; to: { address: string }[]; text?: string; replyTo?: { address: string } }[]
> {
  return (await (await fetch(`${env.GOOGLE_API_BASE}/__fake/gmail/sent`)).json()) as {
    id: string;
    subject: string;
    to: { address: string }[];
  }[];
}
