// The in-app Google client against the Google fake, through a fetch that does
// what the egress proxy does (host allow-list, origin rewrite, access token).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { RecordedRequest } from "../types";
import { fakeRequests } from "../testing/fake-requests";
import { proxyLikeFetch } from "../testing/proxy-like-fetch";
import { createGoogleClient, EmailInputError, GoogleApiError } from "./client";
import { runAuthorizationFlow } from "./fake/authorization-flow";
import { GOOGLE_FAKE_ACCESS_TOKEN, GOOGLE_FAKE_USER } from "./fake/credentials";
import type { SentMessage } from "./fake/gmail";
import { DEMO_SPREADSHEET_ID } from "./fake/seed";
import { encodeHeaderText } from "./mime-message";
import { googleRule } from "./rule";

function fakeBase(): string {
  if (!env.GOOGLE_API_BASE || !env.GOOGLE_OAUTH_BASE)
    throw new Error("GOOGLE_API_BASE is not set: the Google fake did not start");
  return env.GOOGLE_API_BASE;
}

/** What left the isolate, before the proxy touched it. */
const sentByApp: Request[] = [];

function clientWith(accessToken = GOOGLE_FAKE_ACCESS_TOKEN) {
  const proxied = proxyLikeFetch(googleRule, { upstreamBase: fakeBase(), credential: accessToken });
  return createGoogleClient({
    fetch: async (input, init) => {
      sentByApp.push(new Request(input, init));
      return proxied(input, init);
    },
  });
}

function recorded(pathPrefix: string): Promise<RecordedRequest[]> {
  return fakeRequests(fakeBase(), pathPrefix);
}

async function caught<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
}

// Each calendar test works in a year of its own, so tests sharing the fake never see each other's events.
const inYear = (year: number, monthDay: string, time: string) => `${year}-${monthDay}T${time}Z`;

describe("Google Calendar", () => {
  it("creates, lists (time window, q, order), updates and deletes events", async () => {
    const { calendar } = clientWith();
    const window = { timeMin: inYear(2301, "01-01", "00:00:00"), timeMax: inYear(2301, "12-31", "00:00:00") };
    const later = await calendar.createEvent({
      summary: "Planning review",
      location: "Room 2",
      start: { dateTime: inYear(2301, "03-02", "10:00:00") },
      end: { dateTime: inYear(2301, "03-02", "11:00:00") },
    });
    const earlier = await calendar.createEvent({
      summary: "Kickoff with Ada",
      attendees: [{ email: "ada@example.com" }],
      start: { dateTime: "2301-03-01T09:00:00+02:00" },
      end: { dateTime: "2301-03-01T10:00:00+02:00" },
    });
    expect(earlier.id).toMatch(/^[a-v0-9]+$/);
    expect(earlier.status).toBe("confirmed");
    expect(earlier.htmlLink).toContain("https://www.google.com/calendar/event?eid=");

    const ordered = await calendar.listEvents({ ...window, singleEvents: true, orderBy: "startTime" });
    expect(ordered.events.map((event) => event.summary)).toEqual(["Kickoff with Ada", "Planning review"]);
    expect(ordered.nextPageToken).toBeUndefined();
    const [sent] = (await recorded("/calendar/v3/calendars/primary/events?timeMin=")).slice(-1);
    const query = new URL(sent.url, "http://x").searchParams;
    expect(Object.fromEntries(query)).toEqual({ ...window, singleEvents: "true", orderBy: "startTime" });
    expect(sent.headers.authorization).toBe(`Bearer ${GOOGLE_FAKE_ACCESS_TOKEN}`);

    expect((await calendar.listEvents({ ...window, q: "ada" })).events.map((event) => event.id)).toEqual([earlier.id]);
    const march2 = await calendar.listEvents({
      timeMin: inYear(2301, "03-02", "00:00:00"),
      timeMax: inYear(2301, "03-03", "00:00:00"),
    });
    expect(march2.events.map((event) => event.id)).toEqual([later.id]);

    const moved = await calendar.updateEvent(later.id, {
      summary: "Planning review (moved)",
      start: { dateTime: inYear(2301, "03-04", "10:00:00") },
      end: { dateTime: inYear(2301, "03-04", "11:00:00") },
    });
    expect(moved).toMatchObject({ id: later.id, summary: "Planning review (moved)", location: "Room 2" });
    const [patch] = (await recorded(`/calendar/v3/calendars/primary/events/${later.id}`)).filter(
      (request) => request.method === "PATCH",
    );
    expect(Object.keys(JSON.parse(patch.body) as object).sort()).toEqual(["end", "start", "summary"]);

    await calendar.deleteEvent(earlier.id);
    expect((await calendar.listEvents(window)).events.map((event) => event.id)).toEqual([later.id]);
    const again = await caught(calendar.deleteEvent(earlier.id), GoogleApiError);
    expect(again).toMatchObject({ status: 410, googleStatus: "GONE", reason: "deleted" });
    const unknown = await caught(calendar.updateEvent("nosuchevent00", { summary: "x" }), GoogleApiError);
    expect(unknown).toMatchObject({ status: 404, reason: "notFound" });
    expect(unknown.message).toContain("Check the id");
  });

  it("pages with nextPageToken, and listAllEvents follows it", async () => {
    const { calendar } = clientWith();
    for (let day = 1; day <= 7; day += 1) {
      await calendar.createEvent({
        summary: `Day ${day}`,
        start: { date: `2302-05-0${day}` },
        end: { date: `2302-05-0${day + 1}` },
      });
    }
    const window = {
      timeMin: inYear(2302, "01-01", "00:00:00"),
      timeMax: inYear(2302, "12-31", "00:00:00"),
      singleEvents: true,
      orderBy: "startTime" as const,
    };
    const first = await calendar.listEvents({ ...window, maxResults: 3 });
    expect(first.events.map((event) => event.summary)).toEqual(["Day 1", "Day 2", "Day 3"]);
    expect(first.nextPageToken).toEqual(expect.any(String));
    const second = await calendar.listEvents({ ...window, maxResults: 3, pageToken: first.nextPageToken });
    expect(second.events.map((event) => event.summary)).toEqual(["Day 4", "Day 5", "Day 6"]);
    const all = await calendar.listAllEvents({ ...window, maxResults: 3 });
    expect(all.map((event) => event.summary)).toEqual(["Day 1", "Day 2", "Day 3", "Day 4", "Day 5", "Day 6", "Day 7"]);
  });

  it("answers free/busy with merged busy times per calendar", async () => {
    const { calendar } = clientWith();
    await calendar.createEvent({
      summary: "A",
      start: { dateTime: inYear(2303, "06-01", "09:00:00") },
      end: { dateTime: inYear(2303, "06-01", "10:00:00") },
    });
    await calendar.createEvent({
      summary: "B",
      start: { dateTime: inYear(2303, "06-01", "09:30:00") },
      end: { dateTime: inYear(2303, "06-01", "11:00:00") },
    });
    await calendar.createEvent({
      summary: "C",
      start: { dateTime: inYear(2303, "06-01", "15:00:00") },
      end: { dateTime: inYear(2303, "06-01", "16:00:00") },
    });
    const busy = await calendar.freeBusy({
      timeMin: inYear(2303, "06-01", "00:00:00"),
      timeMax: inYear(2303, "06-01", "15:30:00"),
      calendarIds: ["primary", "nobody@group.calendar.google.com"],
    });
    expect(busy.primary).toEqual({
      busy: [
        { start: inYear(2303, "06-01", "09:00:00"), end: inYear(2303, "06-01", "11:00:00") },
        { start: inYear(2303, "06-01", "15:00:00"), end: inYear(2303, "06-01", "15:30:00") },
      ],
    });
    expect(busy["nobody@group.calendar.google.com"]).toEqual({ busy: [], errors: [{ reason: "notFound" }] });
  });

  it("turns Calendar's refusals into GoogleApiError", async () => {
    const { calendar } = clientWith();
    const noEnd = await caught(
      calendar.createEvent({ summary: "x", start: { dateTime: inYear(2304, "01-01", "09:00:00") } } as never),
      GoogleApiError,
    );
    expect(noEnd).toMatchObject({ status: 400, googleStatus: "INVALID_ARGUMENT", reason: "required" });
    expect(noEnd.message).toContain("Missing end time.");
    const order = await caught(calendar.listEvents({ orderBy: "startTime" }), GoogleApiError);
    expect(order.message).toContain("The requested ordering is not available");
  });
});

describe("Google Sheets", () => {
  it("creates a spreadsheet, writes, appends and reads values back", async () => {
    const { sheets } = clientWith();
    const { spreadsheetId, url } = await sheets.createSpreadsheet("Orders test", ["Orders", "Notes"]);
    expect(url).toBe(`https://docs.google.com/spreadsheets/d/${spreadsheetId}/edit`);

    const header = await sheets.updateValues(spreadsheetId, "Orders!A1:C1", [["Item", "Qty", "Code"]]);
    expect(header).toEqual({ updatedRange: "Orders!A1:C1", updatedRows: 1, updatedColumns: 3, updatedCells: 3 });
    const [put] = (await recorded(`/v4/spreadsheets/${spreadsheetId}/values/`)).filter(
      (request) => request.method === "PUT",
    );
    expect(put.url).toBe(`/v4/spreadsheets/${spreadsheetId}/values/Orders!A1%3AC1?valueInputOption=USER_ENTERED`);

    const typed = await sheets.appendValues(spreadsheetId, "Orders!A:C", [["Tea", "42", "007"]]);
    expect(typed).toEqual({ updatedRange: "Orders!A2:C2", updatedRows: 1, updatedColumns: 3, updatedCells: 3 });
    const raw = await sheets.appendValues(spreadsheetId, "Orders!A:C", [["Coffee", "3", "008"]], {
      valueInputOption: "RAW",
    });
    expect(raw.updatedRange).toBe("Orders!A3:C3");
    const [append] = (await recorded(`/v4/spreadsheets/${spreadsheetId}/values/Orders!A%3AC:append`)).slice(-1);
    expect(new URL(append.url, "http://x").searchParams.get("valueInputOption")).toBe("RAW");
    expect(JSON.parse(append.body)).toEqual({ majorDimension: "ROWS", values: [["Coffee", "3", "008"]] });

    // USER_ENTERED made numbers of "42" and "007"; RAW kept the text. FORMATTED_VALUE (default) is always text.
    expect(await sheets.getValues(spreadsheetId, "Orders!A2:C3", { valueRenderOption: "UNFORMATTED_VALUE" })).toEqual([
      ["Tea", 42, 7],
      ["Coffee", "3", "008"],
    ]);
    expect(await sheets.getValues(spreadsheetId, "Orders")).toEqual([
      ["Item", "Qty", "Code"],
      ["Tea", "42", "7"],
      ["Coffee", "3", "008"],
    ]);
    expect(await sheets.getValues(spreadsheetId, "Orders!A1:B3", { majorDimension: "COLUMNS" })).toEqual([
      ["Item", "Tea", "Coffee"],
      ["Qty", "42", "3"],
    ]);
    expect(await sheets.getValues(spreadsheetId, "Notes!A1:Z9")).toEqual([]);

    await sheets.updateValues(spreadsheetId, "Orders!A5", [["Below"]]);
    const inserted = await sheets.appendValues(spreadsheetId, "Orders!A1:C1", [["Milk", 1, "009"]], {
      insertDataOption: "INSERT_ROWS",
    });
    expect(inserted.updatedRange).toBe("Orders!A4:C4");
    expect(await sheets.getValues(spreadsheetId, "Orders!A4:A6")).toEqual([["Milk"], [], ["Below"]]);
  });

  it("reads the seeded demo spreadsheet and turns Sheets' refusals into GoogleApiError", async () => {
    const { sheets } = clientWith();
    const [header] = await sheets.getValues(DEMO_SPREADSHEET_ID, "Signups!1:1");
    expect(header).toEqual(["Name", "Email", "Plan", "Seats"]);
    const missing = await caught(sheets.getValues("no-such-spreadsheet", "A1"), GoogleApiError);
    expect(missing).toMatchObject({ status: 404, googleStatus: "NOT_FOUND" });
    const badRange = await caught(sheets.getValues(DEMO_SPREADSHEET_ID, "Nope!A1"), GoogleApiError);
    expect(badRange.message).toContain("Unable to parse range: Nope!A1");
    const tooMany = await caught(
      sheets.updateValues(DEMO_SPREADSHEET_ID, "Signups!F1:F1", [["a"], ["b"]]),
      GoogleApiError,
    );
    expect(tooMany.message).toContain("but tried writing to row [2]");
  });
});

describe("Gmail", () => {
  async function sentMessages(): Promise<SentMessage[]> {
    return (await (await fetch(`${fakeBase()}/__fake/gmail/sent`)).json()) as SentMessage[];
  }

  it("sends an RFC 2822 message the fake decodes back: UTF-8 subject, names, body", async () => {
    const subject = `Grüße aus Köln ✓ ${"日本語のテキスト".repeat(4)} ${crypto.randomUUID()}`;
    const text = "Hallo Zoë,\nthe invoice is attached — €42.\n";
    const sent = await clientWith().gmail.send({
      to: ["Zoë Ünal <zoe@example.com>", "bob@example.com"],
      bcc: "audit@example.com",
      subject,
      text,
      replyTo: "Support <help@example.com>",
    });
    expect(sent.id).toMatch(/^[0-9a-f]{16}$/);

    const [request] = (await recorded("/gmail/v1/users/me/messages/send")).slice(-1);
    const raw = (JSON.parse(request.body) as { raw: string }).raw;
    expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);

    const message = (await sentMessages()).find((candidate) => candidate.id === sent.id) as SentMessage;
    expect(message.subject).toBe(subject);
    expect(message.text).toBe(text);
    expect(message.to).toEqual([{ name: "Zoë Ünal", address: "zoe@example.com" }, { address: "bob@example.com" }]);
    expect(message.bcc).toEqual([{ address: "audit@example.com" }]);
    expect(message.replyTo).toEqual({ name: "Support", address: "help@example.com" });
    expect(message.from.address).toBe(GOOGLE_FAKE_USER.email);
    // RFC 2047: the subject travels as ASCII encoded-words of at most 75 characters each.
    const words = message.rawHeaders.subject.split(" ");
    expect(words.length).toBeGreaterThan(1);
    for (const word of words) expect(word).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    expect(Math.max(...words.map((word) => word.length))).toBeLessThanOrEqual(75);
  });

  it("sends text and HTML together as multipart/alternative", async () => {
    const sent = await clientWith().gmail.send({
      to: "ada@example.com",
      subject: "Plain ASCII subject",
      text: "Hi Ada",
      html: "<p>Hi <b>Ada</b> ✓</p>",
    });
    const message = (await sentMessages()).find((candidate) => candidate.id === sent.id) as SentMessage;
    expect(message.rawHeaders.subject).toBe("Plain ASCII subject");
    expect(message.headers["content-type"]).toMatch(/^multipart\/alternative; boundary="kiln-/);
    expect(message.text).toBe("Hi Ada");
    expect(message.html).toBe("<p>Hi <b>Ada</b> ✓</p>");
  });

  it("refuses header injection, missing recipients and bad addresses before sending", async () => {
    sentByApp.length = 0;
    const gmail = clientWith().gmail;
    const injected = await caught(
      gmail.send({ to: "ada@example.com", subject: "Hi\r\nBcc: evil@example.com", text: "x" }),
      EmailInputError,
    );
    expect(injected.message).toContain("line break");
    await caught(gmail.send({ to: [], subject: "Nobody", text: "x" }), EmailInputError);
    await caught(gmail.send({ to: "not an address", subject: "x", text: "x" }), EmailInputError);
    await caught(gmail.send({ to: "ada@example.com", subject: "No body" }), EmailInputError);
    expect(sentByApp).toHaveLength(0);
  });

  it("splits encoded-words between characters, never inside one", () => {
    const words = encodeHeaderText("é".repeat(100)).split("\r\n ");
    const decoded = words.map((word) => {
      const bytes = Uint8Array.from(atob(word.slice("=?UTF-8?B?".length, -2)), (char) => char.charCodeAt(0));
      return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    });
    expect(decoded.join("")).toBe("é".repeat(100));
    expect(words.every((word) => word.length <= 75)).toBe(true);
  });
});

describe("Google connection errors", () => {
  it("an unknown or expired access token is Google's 401, worded for the owner", async () => {
    const error = await caught(clientWith("ya29.unknown").calendar.listEvents(), GoogleApiError);
    expect(error).toMatchObject({ status: 401, googleStatus: "UNAUTHENTICATED", reason: "authError" });
    expect(error.message).toContain("reconnect Google");
  });

  it("a token without the needed scope is a 403 that says to grant it", async () => {
    const calendarOnly = await runAuthorizationFlow(env.GOOGLE_OAUTH_BASE as string, {
      scopes: ["openid", "https://www.googleapis.com/auth/calendar.events"],
    });
    const google = clientWith(calendarOnly.access_token);
    expect((await google.calendar.listEvents({ maxResults: 1 })).events).toHaveLength(1);
    const error = await caught(google.sheets.getValues(DEMO_SPREADSHEET_ID, "Signups"), GoogleApiError);
    expect(error).toMatchObject({
      status: 403,
      googleStatus: "PERMISSION_DENIED",
      reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
    });
    expect(error.message).toContain("tick every permission");
  });

  it("the rule's check call (userinfo) proves the token and names the account", async () => {
    const { host, path, method } = googleRule.check;
    const response = await proxyLikeFetch(googleRule, {
      upstreamBase: fakeBase(),
      credential: GOOGLE_FAKE_ACCESS_TOKEN,
    })(`https://${host}${path}`, { method });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      sub: GOOGLE_FAKE_USER.sub,
      email: GOOGLE_FAKE_USER.email,
      email_verified: true,
    });
  });

  it("the client sends no credential and only to the rule's hosts", async () => {
    sentByApp.length = 0;
    const google = clientWith();
    await google.calendar.listEvents({ maxResults: 1 });
    await google.sheets.getValues(DEMO_SPREADSHEET_ID, "Signups!A1");
    expect(sentByApp.map((request) => new URL(request.url).host)).toEqual([
      "www.googleapis.com",
      "sheets.googleapis.com",
    ]);
    expect(sentByApp.every((request) => request.headers.get("authorization") === null)).toBe(true);
    await expect(
      proxyLikeFetch(googleRule, { upstreamBase: fakeBase(), credential: "x" })("https://oauth2.googleapis.com/token"),
    ).rejects.toThrow("not allowed");
  });
});
