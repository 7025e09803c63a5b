// kiln/google end to end: app source importing it, uploaded through the API,
// served in a real Dynamic Worker; its calls leave only through the real
// egress proxy to the loopback Google fake, which checks the access token.
// The owner connects with the real OAuth flow (PKCE) against the fake.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { GOOGLE_FAKE_CLIENT_ID, GOOGLE_FAKE_CLIENT_SECRET } from "../../../connectors/google/fake/credentials";
import type { RecordedRequest } from "../../../connectors/types";
import { newUser } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";
import { GOOGLE_RECONNECT_MESSAGE } from "../connections/access-tokens";
import { findConnectionById } from "../connections/connection-repository";
import { readCredential } from "../connections/connection-secrets";
import { PLATFORM_CLIENT, connectGoogle } from "../../test/connections";
import type { Env } from "../core/env";
import { askApp, auditedCalls, expectSecretsNowhere, runMarker } from "../../test/connector-app";
import { fakeRequests } from "../../../connectors/testing/fake-requests";

const PLANNER_APP = {
  "src/index.ts": `import { Hono } from "hono";
import { google, GoogleApiError } from "kiln/google";

const app = new Hono();

// What a visitor sees of a failure: the typed error's fields, or the plain message.
function failure(error: unknown) {
  if (error instanceof GoogleApiError) return { kind: "GoogleApiError", status: error.status, googleStatus: error.googleStatus, message: error.message };
  return { kind: error instanceof Error ? error.name : "unknown", message: error instanceof Error ? error.message : String(error) };
}
app.onError((error, c) => c.json(failure(error), 502));

// A kickoff: on the calendar, in a new signup sheet (found again in Drive), and announced by email.
app.post("/kickoff", async (c) => {
  const { run, to } = await c.req.json<{ run: string; to: string }>();
  const upcoming = await google.calendar.events.list({ calendarId: "primary", singleEvents: true, orderBy: "startTime" });
  const event = await google.calendar.events.insert({ calendarId: "primary", requestBody: { summary: "Kickoff " + run, start: { dateTime: "2030-01-07T09:00:00Z" }, end: { dateTime: "2030-01-07T10:00:00Z" } } });
  const found = await google.calendar.events.list({ calendarId: "primary", q: run });
  const sheet = await google.sheets.spreadsheets.create({ requestBody: { properties: { title: "Signups " + run }, sheets: [{ properties: { title: "Signups" } }] } });
  const spreadsheetId = sheet.spreadsheetId ?? "";
  const inDrive = await google.drive.files.list({ q: "name = 'Signups " + run + "' and trashed = false", fields: "files(id)" });
  const appended = await google.sheets.spreadsheets.values.append({ spreadsheetId, range: "Signups!A:B", valueInputOption: "USER_ENTERED", requestBody: { values: [["Ada Lovelace", run]] } });
  const rows = await google.sheets.spreadsheets.values.get({ spreadsheetId, range: "Signups!A:B" });
  const sent = await google.gmail.send({ to, subject: "Kickoff " + run, text: "See you on January 7." });
  console.log("google kickoff " + run + " " + JSON.stringify({ event, sheet, sent }));
  return c.json({ upcoming: upcoming.items?.length ?? 0, event, found: found.items ?? [], sheet: { spreadsheetId, url: sheet.spreadsheetUrl }, inDrive: (inDrive.files ?? []).map((f) => f.id), appended: appended.updates, rows: rows.values ?? [], sent });
});

app.get("/events", async (c) => {
  const q = c.req.query("q") ?? "";
  try {
    const { items } = await google.calendar.events.list({ calendarId: "primary", q });
    console.log("google events " + q);
    return c.json({ events: items ?? [] });
  } catch (error) {
    console.log("google failed " + q);
    return c.json(failure(error), 502);
  }
});

export default app;
`,
};

// Demo mode: the same flow with the fake's own client, which the egress proxy (running with the
// test bindings, where no platform client is set) can also use to refresh.
const DEMO: Partial<Env> = { KILN_DEMO_CONNECTIONS: "1" };

async function storedTokens(connectionId: string): Promise<{ accessToken: string; refreshToken: string }> {
  const credential = await readCredential(env, (await findConnectionById(env.DB, connectionId))!);
  if (credential.kind !== "oauth2") throw new Error("not an OAuth credential");
  return credential;
}

async function fakeSwitch(name: string, body: unknown): Promise<void> {
  const response = await fetch(`${env.GOOGLE_OAUTH_BASE}/__fake/oauth/${name}`, {
    method: "POST",
    body: JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
}

function bearerOf(request: RecordedRequest): string {
  return (request.headers.authorization ?? "").replace(/^Bearer /, "");
}

function queryOf(request: RecordedRequest, name: string): string | null {
  return new URL(request.url, "http://x").searchParams.get(name);
}

describe("kiln/google in a deployed app, through the egress proxy", () => {
  it("Calendar, Sheets, Drive and Gmail calls carry the owner's access token from the OAuth flow, and nothing else does", async () => {
    const user = await newUser();
    const connectionId = await connectGoogle(user, PLATFORM_CLIENT, {});
    const tokens = await storedTokens(connectionId);
    const app = await appWithSource(user, `planner ${runMarker("")}`, PLANNER_APP);
    const run = runMarker("run");
    const to = `${run}@example.com`;

    const answer = await askApp<{
      upcoming: number;
      event: { id: string; summary: string };
      found: { id: string }[];
      sheet: { spreadsheetId: string; url: string };
      inDrive: string[];
      appended: { updatedRows: number; updatedRange: string };
      rows: string[][];
      sent: { id: string; threadId: string };
    }>(`${app.previewUrl}kickoff`, { method: "POST", body: { run, to } });
    expect(answer.status).toBe(200);
    const { upcoming, event, found, sheet, inDrive, appended, rows, sent } = answer.json;
    expect(upcoming).toBeGreaterThanOrEqual(3); // the fake's seeded events, at least
    expect(event.summary).toBe(`Kickoff ${run}`);
    expect(found.map((e) => e.id)).toEqual([event.id]);
    expect(inDrive).toEqual([sheet.spreadsheetId]);
    expect(appended).toMatchObject({ updatedRows: 1, updatedRange: "Signups!A1:B1" });
    expect(rows).toEqual([["Ada Lovelace", run]]);
    expect(sent.id).toBeTruthy();

    // Every call this app made reached the fake with the connection's access token, in order,
    // after Kiln's own check of the new connection.
    const received = (await fakeRequests(env.GOOGLE_API_BASE)).filter((r) => bearerOf(r) === tokens.accessToken);
    // The range is one path segment, escaped as the official client escapes it ("!" and ":" too).
    const values = `/v4/spreadsheets/${sheet.spreadsheetId}/values/Signups%21A%3AB`;
    expect(received.map((r) => `${r.method} ${r.url.split("?")[0]}`)).toEqual([
      "GET /oauth2/v3/userinfo",
      "GET /calendar/v3/calendars/primary/events",
      "POST /calendar/v3/calendars/primary/events",
      "GET /calendar/v3/calendars/primary/events",
      "POST /v4/spreadsheets",
      "GET /drive/v3/files",
      `POST ${values}:append`,
      `GET ${values}`,
      "POST /gmail/v1/users/me/messages/send",
    ]);
    expect(queryOf(received[3]!, "q")).toBe(run);
    const outbox = (await (await fetch(`${env.GOOGLE_API_BASE}/__fake/gmail/sent`)).json()) as {
      id: string;
      subject: string;
      to: { address: string }[];
    }[];
    expect(outbox.find((message) => message.id === sent.id)).toMatchObject({
      subject: `Kickoff ${run}`,
      to: [{ address: to }],
    });

    expect((await auditedCalls(user, app.id)).map((c) => [c.connector, c.method, c.host, c.outcome, c.status])).toEqual(
      [
        ["google", "GET", "www.googleapis.com", "sent", 200],
        ["google", "POST", "www.googleapis.com", "sent", 200],
        ["google", "GET", "www.googleapis.com", "sent", 200],
        ["google", "POST", "sheets.googleapis.com", "sent", 200],
        ["google", "GET", "www.googleapis.com", "sent", 200],
        ["google", "POST", "sheets.googleapis.com", "sent", 200],
        ["google", "GET", "sheets.googleapis.com", "sent", 200],
        ["google", "POST", "gmail.googleapis.com", "sent", 200],
      ],
    );
    await expectSecretsNowhere(
      user,
      app.id,
      [tokens.accessToken, tokens.refreshToken, GOOGLE_FAKE_CLIENT_SECRET],
      [answer],
      `google kickoff ${run}`,
    );
  });

  it("an expired access token is refreshed by the proxy on Google's 401 and the call retried; a revoked grant tells the app to reconnect Google", async () => {
    const user = await newUser();
    const connectionId = await connectGoogle(user, DEMO, { demo: true });
    const app = await appWithSource(user, `planner ${runMarker("")}`, PLANNER_APP);
    const events = (q: string) =>
      askApp<{ events?: unknown[]; kind?: string; message?: string }>(`${app.previewUrl}events?q=${q}`);
    const requestsFor = async (q: string) =>
      (await fakeRequests(env.GOOGLE_API_BASE)).filter((r) => queryOf(r, "q") === q);

    // 1. A call with the token the flow gave; learn that token from what the fake received.
    const [first, second, third, fourth] = [runMarker("a"), runMarker("b"), runMarker("c"), runMarker("d")];
    const answers = [await events(first)];
    expect(answers[0]!.status).toBe(200);
    const [firstCall] = await requestsFor(first);
    const firstToken = bearerOf(firstCall!);
    expect(firstToken).toBe((await storedTokens(connectionId)).accessToken);

    // 2. Google expires it early. Kiln still thinks it has an hour left, so only Google's 401 tells.
    await fakeSwitch("expire-access-tokens", { accessTokens: [firstToken] });
    answers.push(await events(second));
    expect(answers[1]!.status).toBe(200);
    expect(answers[1]!.json.events).toEqual([]);
    const log = await fakeRequests(env.GOOGLE_API_BASE);
    const tried = log.findIndex((r) => queryOf(r, "q") === second);
    const refreshAt = log.findIndex(
      (r, index) =>
        index > tried && r.url === "/token" && new URLSearchParams(r.body).get("grant_type") === "refresh_token",
    );
    const retried = log.findIndex((r, index) => index > refreshAt && queryOf(r, "q") === second);
    expect(tried).toBeGreaterThanOrEqual(0);
    expect(refreshAt).toBeGreaterThan(tried);
    expect(retried).toBeGreaterThan(refreshAt);
    expect(bearerOf(log[tried]!)).toBe(firstToken);
    const refreshForm = new URLSearchParams(log[refreshAt]!.body);
    expect(refreshForm.get("client_id")).toBe(GOOGLE_FAKE_CLIENT_ID);
    const refreshToken = refreshForm.get("refresh_token")!;
    expect(refreshToken).toBe((await storedTokens(connectionId)).refreshToken);
    const secondToken = bearerOf(log[retried]!);
    expect(secondToken).not.toBe(firstToken);
    expect(secondToken).toBe((await storedTokens(connectionId)).accessToken);
    expect(log.filter((r) => queryOf(r, "q") === second)).toHaveLength(2);

    // 3. The owner's grant is revoked at Google (and the token expired): the refresh fails, the app is told in plain words.
    await fakeSwitch("revoke-all", { refreshTokens: [refreshToken] });
    await fakeSwitch("expire-access-tokens", { accessTokens: [secondToken] });
    answers.push(await events(third));
    expect(answers[2]!.status).toBe(502);
    expect(answers[2]!.json).toEqual({ kind: "Error", message: GOOGLE_RECONNECT_MESSAGE });
    expect((await requestsFor(third)).map(bearerOf)).toEqual([secondToken]);
    const refreshes = (await fakeRequests(env.GOOGLE_OAUTH_BASE)).filter(
      (r) => r.url === "/token" && new URLSearchParams(r.body).get("refresh_token") === refreshToken,
    );
    expect(refreshes).toHaveLength(2);

    const listed = await user.call("GET", "/api/connections");
    expect(listed.body.connections).toEqual([
      expect.objectContaining({
        id: connectionId,
        connector: "google",
        status: "needs_reconnect",
        statusMessage: GOOGLE_RECONNECT_MESSAGE,
      }),
    ]);

    // 4. From now on nothing is sent to Google until the owner reconnects.
    answers.push(await events(fourth));
    expect(answers[3]!.json).toEqual({ kind: "Error", message: GOOGLE_RECONNECT_MESSAGE });
    expect(await requestsFor(fourth)).toEqual([]);

    expect((await auditedCalls(user, app.id)).map((c) => [c.host, c.outcome, c.status])).toEqual([
      ["www.googleapis.com", "sent", 200],
      ["www.googleapis.com", "sent", 200],
      ["www.googleapis.com", "failed", null],
      ["www.googleapis.com", "not_connected", null],
    ]);
    const logs = (await user.call("GET", `/api/apps/${app.id}/logs?limit=500`)).body.logs as {
      level: string;
      message: string;
    }[];
    expect(logs.filter((row) => row.message === `Google call failed: ${GOOGLE_RECONNECT_MESSAGE}.`)).toHaveLength(1);
    expect(logs.filter((row) => row.message === `Google call not sent: ${GOOGLE_RECONNECT_MESSAGE}.`)).toHaveLength(1);
    await expectSecretsNowhere(
      user,
      app.id,
      [firstToken, secondToken, refreshToken, GOOGLE_FAKE_CLIENT_SECRET],
      answers,
      `google failed ${fourth}`,
    );
  });
});
