// The in-app Google client (every method of Sheets, Calendar, Gmail and Drive, generated from the official
// @googleapis/* packages) against the Google fake, through a fetch that does what the egress proxy does (host
// allow-list, origin rewrite, access token). The last test checks every call this file made against the official
// client's URL templates.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { RecordedRequest } from "../types";
import { fakeRequests } from "../testing/fake-requests";
import { proxyLikeFetch } from "../testing/proxy-like-fetch";
import { createGoogleClient, EmailInputError, GOOGLE_METHODS, GoogleApiError, googleRequest, rawEmail } from "./client";
import { runAuthorizationFlow } from "./fake/authorization-flow";
import { GOOGLE_FAKE_ACCESS_TOKEN, GOOGLE_FAKE_USER } from "./fake/credentials";
import type { SentMessage } from "./fake/gmail";
import { DEMO_SPREADSHEET_ID } from "./fake/seed";
import { encodeHeaderText } from "./mime-message";
import { googleRule } from "./rule";

const SPREADSHEET = "application/vnd.google-apps.spreadsheet";
const AUTH = "https://www.googleapis.com/auth/";

/**
 * What the official Node client sends for each method this file calls: HTTP method, then rootUrl + url, as written
 * in @googleapis/{calendar,drive,gmail,sheets}/build/v*.js.
 */
const OFFICIAL: Readonly<Record<string, string>> = {
  "calendar.events.list": "GET https://www.googleapis.com/calendar/v3/calendars/{calendarId}/events",
  "calendar.events.insert": "POST https://www.googleapis.com/calendar/v3/calendars/{calendarId}/events",
  "calendar.events.get": "GET https://www.googleapis.com/calendar/v3/calendars/{calendarId}/events/{eventId}",
  "calendar.events.patch": "PATCH https://www.googleapis.com/calendar/v3/calendars/{calendarId}/events/{eventId}",
  "calendar.events.delete": "DELETE https://www.googleapis.com/calendar/v3/calendars/{calendarId}/events/{eventId}",
  "calendar.freebusy.query": "POST https://www.googleapis.com/calendar/v3/freeBusy",
  "drive.files.list": "GET https://www.googleapis.com/drive/v3/files",
  "drive.files.get": "GET https://www.googleapis.com/drive/v3/files/{fileId}",
  "drive.files.create": "POST https://www.googleapis.com/drive/v3/files",
  "drive.files.update": "PATCH https://www.googleapis.com/drive/v3/files/{fileId}",
  "gmail.users.messages.send": "POST https://gmail.googleapis.com/gmail/v1/users/{userId}/messages/send",
  "sheets.spreadsheets.create": "POST https://sheets.googleapis.com/v4/spreadsheets",
  "sheets.spreadsheets.get": "GET https://sheets.googleapis.com/v4/spreadsheets/{spreadsheetId}",
  "sheets.spreadsheets.batchUpdate": "POST https://sheets.googleapis.com/v4/spreadsheets/{spreadsheetId}:batchUpdate",
  "sheets.spreadsheets.values.get": "GET https://sheets.googleapis.com/v4/spreadsheets/{spreadsheetId}/values/{range}",
  "sheets.spreadsheets.values.batchGet":
    "GET https://sheets.googleapis.com/v4/spreadsheets/{spreadsheetId}/values:batchGet",
  "sheets.spreadsheets.values.update":
    "PUT https://sheets.googleapis.com/v4/spreadsheets/{spreadsheetId}/values/{range}",
  "sheets.spreadsheets.values.append":
    "POST https://sheets.googleapis.com/v4/spreadsheets/{spreadsheetId}/values/{range}:append",
};

function fakeBase(): string {
  if (!env.GOOGLE_API_BASE || !env.GOOGLE_OAUTH_BASE)
    throw new Error("GOOGLE_API_BASE is not set: the Google fake did not start");
  return env.GOOGLE_API_BASE;
}

/** What left the isolate, before the proxy touched it: since a test cleared it, and in the whole file. */
const sentByApp: Request[] = [];
const sentInFile: Request[] = [];

function clientWith(accessToken = GOOGLE_FAKE_ACCESS_TOKEN) {
  const proxied = proxyLikeFetch(googleRule, { upstreamBase: fakeBase(), credential: accessToken });
  return createGoogleClient({
    fetch: async (input, init) => {
      const request = new Request(input, init);
      sentByApp.push(request);
      sentInFile.push(request);
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

/** A spreadsheet the owner made in Google's own pages (not by the app): the fake's control route. */
async function ownerMadeSpreadsheet(
  title: string,
  sheets: { title: string; rows?: (string | number)[][] }[] = [],
): Promise<string> {
  const response = await fetch(`${fakeBase()}/__fake/sheets/spreadsheets`, {
    method: "POST",
    body: JSON.stringify({ title, sheets }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { spreadsheetId: string }).spreadsheetId;
}

// Each calendar test works in a year of its own, so tests sharing the fake never see each other's events.
const inYear = (year: number, monthDay: string, time: string) => `${year}-${monthDay}T${time}Z`;

describe("Google Calendar", () => {
  it("inserts, lists (time window, q, order), patches and deletes events", async () => {
    const { calendar } = clientWith();
    const window = { timeMin: inYear(2301, "01-01", "00:00:00"), timeMax: inYear(2301, "12-31", "00:00:00") };
    const later = await calendar.events.insert({
      calendarId: "primary",
      requestBody: {
        summary: "Planning review",
        location: "Room 2",
        start: { dateTime: inYear(2301, "03-02", "10:00:00") },
        end: { dateTime: inYear(2301, "03-02", "11:00:00") },
      },
    });
    const earlier = await calendar.events.insert({
      calendarId: "primary",
      sendUpdates: "none",
      requestBody: {
        summary: "Kickoff with Ada",
        attendees: [{ email: "ada@example.com" }],
        start: { dateTime: "2301-03-01T09:00:00+02:00" },
        end: { dateTime: "2301-03-01T10:00:00+02:00" },
      },
    });
    expect(earlier.id).toMatch(/^[a-v0-9]+$/);
    expect(earlier.status).toBe("confirmed");
    expect(earlier.htmlLink).toContain("https://www.google.com/calendar/event?eid=");
    const [insert] = (await recorded("/calendar/v3/calendars/primary/events?sendUpdates=none")).slice(-1);
    expect(insert?.method).toBe("POST");
    expect(JSON.parse(insert?.body ?? "{}")).toMatchObject({ summary: "Kickoff with Ada" });

    const ordered = await calendar.events.list({
      calendarId: "primary",
      ...window,
      singleEvents: true,
      orderBy: "startTime",
    });
    expect(ordered.items?.map((event) => event.summary)).toEqual(["Kickoff with Ada", "Planning review"]);
    expect(ordered.nextPageToken).toBeUndefined();
    const [sent] = (await recorded("/calendar/v3/calendars/primary/events?timeMin=")).slice(-1);
    const query = new URL(sent?.url ?? "", "http://x").searchParams;
    expect(Object.fromEntries(query)).toEqual({ ...window, singleEvents: "true", orderBy: "startTime" });
    expect(sent?.headers.authorization).toBe(`Bearer ${GOOGLE_FAKE_ACCESS_TOKEN}`);

    const byText = await calendar.events.list({ calendarId: "primary", ...window, q: "ada" });
    expect(byText.items?.map((event) => event.id)).toEqual([earlier.id]);
    const march2 = await calendar.events.list({
      calendarId: "primary",
      timeMin: inYear(2301, "03-02", "00:00:00"),
      timeMax: inYear(2301, "03-03", "00:00:00"),
    });
    expect(march2.items?.map((event) => event.id)).toEqual([later.id]);

    const moved = await calendar.events.patch({
      calendarId: "primary",
      eventId: later.id as string,
      requestBody: {
        summary: "Planning review (moved)",
        start: { dateTime: inYear(2301, "03-04", "10:00:00") },
        end: { dateTime: inYear(2301, "03-04", "11:00:00") },
      },
    });
    expect(moved).toMatchObject({ id: later.id, summary: "Planning review (moved)", location: "Room 2" });
    const [patch] = (await recorded(`/calendar/v3/calendars/primary/events/${later.id}`)).filter(
      (request) => request.method === "PATCH",
    );
    expect(Object.keys(JSON.parse(patch?.body ?? "{}") as object).sort()).toEqual(["end", "start", "summary"]);
    expect(await calendar.events.get({ calendarId: "primary", eventId: later.id as string })).toMatchObject({
      summary: "Planning review (moved)",
    });

    expect(await calendar.events.delete({ calendarId: "primary", eventId: earlier.id as string })).toBeUndefined();
    const left = await calendar.events.list({ calendarId: "primary", ...window });
    expect(left.items?.map((event) => event.id)).toEqual([later.id]);
    const again = await caught(
      calendar.events.delete({ calendarId: "primary", eventId: earlier.id as string }),
      GoogleApiError,
    );
    expect(again).toMatchObject({ status: 410, googleStatus: "GONE", reason: "deleted" });
    const unknown = await caught(
      calendar.events.patch({ calendarId: "primary", eventId: "nosuchevent00", requestBody: { summary: "x" } }),
      GoogleApiError,
    );
    expect(unknown).toMatchObject({ status: 404, reason: "notFound" });
    expect(unknown.message).toContain("Check the id");
  });

  it("creates an event tomorrow and lists tomorrow's events", async () => {
    const { calendar } = clientWith();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const dayAfter = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const summary = `Dentist ${crypto.randomUUID()}`;
    const created = await calendar.events.insert({
      calendarId: "primary",
      requestBody: {
        summary,
        start: { dateTime: `${tomorrow}T15:00:00Z` },
        end: { dateTime: `${tomorrow}T15:30:00Z` },
      },
    });
    const timeMin = `${tomorrow}T00:00:00Z`;
    const timeMax = `${dayAfter}T00:00:00Z`;
    const { items = [] } = await calendar.events.list({
      calendarId: "primary",
      timeMin,
      timeMax,
      singleEvents: true,
      orderBy: "startTime",
    });
    expect(items.filter((event) => event.summary === summary).map((event) => event.id)).toEqual([created.id]);
    const instant = (time: { date?: string | null; dateTime?: string | null } | undefined) =>
      Date.parse(time?.dateTime ?? `${time?.date}T00:00:00Z`);
    for (const event of items) {
      expect(instant(event.end)).toBeGreaterThan(Date.parse(timeMin));
      expect(instant(event.start)).toBeLessThan(Date.parse(timeMax));
    }
    const starts = items.map((event) => instant(event.start));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it("pages with nextPageToken passed back as pageToken", async () => {
    const { calendar } = clientWith();
    for (let day = 1; day <= 7; day += 1) {
      await calendar.events.insert({
        calendarId: "primary",
        requestBody: {
          summary: `Day ${day}`,
          start: { date: `2302-05-0${day}` },
          end: { date: `2302-05-0${day + 1}` },
        },
      });
    }
    const window = {
      calendarId: "primary",
      timeMin: inYear(2302, "01-01", "00:00:00"),
      timeMax: inYear(2302, "12-31", "00:00:00"),
      singleEvents: true,
      orderBy: "startTime",
      maxResults: 3,
    };
    const pages: string[][] = [];
    let pageToken: string | undefined;
    do {
      const page = await calendar.events.list({ ...window, pageToken });
      pages.push((page.items ?? []).map((event) => event.summary ?? ""));
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken !== undefined);
    expect(pages).toEqual([["Day 1", "Day 2", "Day 3"], ["Day 4", "Day 5", "Day 6"], ["Day 7"]]);
  });

  it("answers free/busy with merged busy times per calendar", async () => {
    const { calendar } = clientWith();
    for (const [summary, start, end] of [
      ["A", "09:00:00", "10:00:00"],
      ["B", "09:30:00", "11:00:00"],
      ["C", "15:00:00", "16:00:00"],
    ] as const) {
      await calendar.events.insert({
        calendarId: "primary",
        requestBody: {
          summary,
          start: { dateTime: inYear(2303, "06-01", start) },
          end: { dateTime: inYear(2303, "06-01", end) },
        },
      });
    }
    const answer = await calendar.freebusy.query({
      requestBody: {
        timeMin: inYear(2303, "06-01", "00:00:00"),
        timeMax: inYear(2303, "06-01", "15:30:00"),
        items: [{ id: "primary" }, { id: "nobody@group.calendar.google.com" }],
      },
    });
    expect(answer.calendars?.primary).toEqual({
      busy: [
        { start: inYear(2303, "06-01", "09:00:00"), end: inYear(2303, "06-01", "11:00:00") },
        { start: inYear(2303, "06-01", "15:00:00"), end: inYear(2303, "06-01", "15:30:00") },
      ],
    });
    expect(answer.calendars?.["nobody@group.calendar.google.com"]).toEqual({
      busy: [],
      errors: [{ domain: "global", reason: "notFound" }],
    });
  });

  it("turns Calendar's refusals into GoogleApiError", async () => {
    const { calendar } = clientWith();
    const noEnd = await caught(
      calendar.events.insert({
        calendarId: "primary",
        requestBody: { summary: "x", start: { dateTime: inYear(2304, "01-01", "09:00:00") } },
      }),
      GoogleApiError,
    );
    expect(noEnd).toMatchObject({ status: 400, googleStatus: "INVALID_ARGUMENT", reason: "required" });
    expect(noEnd.message).toContain("Missing end time.");
    const order = await caught(calendar.events.list({ calendarId: "primary", orderBy: "startTime" }), GoogleApiError);
    expect(order.message).toContain("The requested ordering is not available");
  });
});

describe("Google Sheets and Drive", () => {
  it("finds a spreadsheet by name through Drive, appends rows and reads them back", async () => {
    const google = clientWith();
    const name = `Budget ${crypto.randomUUID()}`;
    const madeId = await ownerMadeSpreadsheet(name, [
      {
        title: "Costs",
        rows: [
          ["Item", "Cost"],
          ["Rent", 1200],
        ],
      },
    ]);

    const { files = [] } = await google.drive.files.list({
      q: `name = '${name}' and mimeType = '${SPREADSHEET}' and trashed = false`,
      fields: "files(id, name, webViewLink)",
    });
    const spreadsheetId = files[0]?.id as string;
    expect(spreadsheetId).toBe(madeId);
    expect(files).toEqual([
      {
        id: spreadsheetId,
        name,
        webViewLink: `https://docs.google.com/spreadsheets/d/${spreadsheetId}/edit?usp=drivesdk`,
      },
    ]);
    const [listed] = (await recorded("/drive/v3/files?q=")).slice(-1);
    expect(new URL(listed?.url ?? "", "http://x").searchParams.get("q")).toBe(
      `name = '${name}' and mimeType = '${SPREADSHEET}' and trashed = false`,
    );
    const byPrefix = await google.drive.files.list({ q: `name contains '${name.slice(0, 12)}' and 'root' in parents` });
    expect(byPrefix.files?.map((file) => file.id)).toEqual([spreadsheetId]);

    const appended = await google.sheets.spreadsheets.values.append({
      spreadsheetId,
      range: "Costs!A:B",
      valueInputOption: "USER_ENTERED",
      requestBody: {
        values: [
          ["Food", "300"],
          ["Travel", "85.5"],
        ],
      },
    });
    expect(appended).toMatchObject({
      spreadsheetId,
      tableRange: "Costs!A1:B2",
      updates: { updatedRange: "Costs!A3:B4", updatedRows: 2, updatedCells: 4 },
    });
    const read = await google.sheets.spreadsheets.values.get({
      spreadsheetId,
      range: "Costs!A2:B",
      valueRenderOption: "UNFORMATTED_VALUE",
    });
    expect(read.values).toEqual([
      ["Rent", 1200],
      ["Food", 300],
      ["Travel", 85.5],
    ]);
    const both = await google.sheets.spreadsheets.values.batchGet({
      spreadsheetId,
      ranges: ["Costs!A1:B1", "Costs!A4:B4"],
    });
    expect(both.valueRanges?.map((range) => range.values)).toEqual([[["Item", "Cost"]], [["Travel", "85.5"]]]);
    const [batch] = (await recorded(`/v4/spreadsheets/${spreadsheetId}/values:batchGet`)).slice(-1);
    expect(new URL(batch?.url ?? "", "http://x").searchParams.getAll("ranges")).toEqual(["Costs!A1:B1", "Costs!A4:B4"]);

    const added = await google.sheets.spreadsheets.batchUpdate({
      spreadsheetId,
      requestBody: { requests: [{ addSheet: { properties: { title: "Summary" } } }] },
    });
    expect(added.replies?.[0]?.addSheet?.properties).toMatchObject({ title: "Summary", index: 1 });
    const meta = await google.sheets.spreadsheets.get({
      spreadsheetId,
      fields: "properties.title,sheets.properties.title",
    });
    expect(meta).toEqual({
      properties: { title: name },
      sheets: [{ properties: { title: "Costs" } }, { properties: { title: "Summary" } }],
    });
  });

  it("lists the app's spreadsheets (made through Sheets or Drive) with drive.file, and the owner's too with drive.metadata.readonly", async () => {
    const google = clientWith();
    const name = `Shelf ${crypto.randomUUID()}`;
    await ownerMadeSpreadsheet(`${name} by owner`);
    const viaSheets = await google.sheets.spreadsheets.create({
      requestBody: { properties: { title: `${name} via sheets` }, sheets: [{ properties: { title: "Orders" } }] },
    });
    expect(viaSheets.spreadsheetUrl).toBe(`https://docs.google.com/spreadsheets/d/${viaSheets.spreadsheetId}/edit`);
    const viaDrive = await google.drive.files.create({
      requestBody: { name: `${name} via drive`, mimeType: SPREADSHEET },
      fields: "id, name, mimeType",
    });
    expect(viaDrive).toEqual({ id: expect.any(String), name: `${name} via drive`, mimeType: SPREADSHEET });
    // Drive made a real spreadsheet, with Google's first tab.
    const made = await google.sheets.spreadsheets.get({ spreadsheetId: viaDrive.id as string });
    expect(made.sheets?.map((sheet) => sheet.properties?.title)).toEqual(["Sheet1"]);

    const names = async (client: ReturnType<typeof clientWith>, pageToken?: string) => {
      const page = await client.drive.files.list({
        q: `name contains '${name}'`,
        orderBy: "name",
        pageSize: 2,
        pageToken,
      });
      return { names: (page.files ?? []).map((file) => file.name), next: page.nextPageToken ?? undefined };
    };
    const first = await names(google);
    expect(first.names).toEqual([`${name} by owner`, `${name} via drive`]);
    expect((await names(google, first.next)).names).toEqual([`${name} via sheets`]);

    const fileOnly = await runAuthorizationFlow(env.GOOGLE_OAUTH_BASE as string, {
      scopes: ["openid", `${AUTH}drive.file`, `${AUTH}spreadsheets`],
    });
    const narrow = clientWith(fileOnly.access_token);
    expect((await names(narrow)).names).toEqual([`${name} via drive`, `${name} via sheets`]);
    const hidden = await ownerMadeSpreadsheet(`${name} hidden`);
    const notSeen = await caught(narrow.drive.files.get({ fileId: hidden }), GoogleApiError);
    expect(notSeen).toMatchObject({ status: 404, reason: "notFound" });

    // Renaming the file renames the spreadsheet; a file the app did not create stays the owner's to change.
    const renamed = await google.drive.files.update({
      fileId: viaDrive.id as string,
      requestBody: { name: `${name} renamed` },
      fields: "name",
    });
    expect(renamed).toEqual({ name: `${name} renamed` });
    expect((await google.sheets.spreadsheets.get({ spreadsheetId: viaDrive.id as string })).properties?.title).toBe(
      `${name} renamed`,
    );
    const refused = await caught(
      google.drive.files.update({ fileId: hidden, requestBody: { name: "mine now" } }),
      GoogleApiError,
    );
    expect(refused).toMatchObject({ status: 403, reason: "appNotAuthorizedToFile" });
  });

  it("writes, appends (typed or raw, inserting rows) and reads values back", async () => {
    const { sheets } = clientWith();
    const created = await sheets.spreadsheets.create({
      requestBody: {
        properties: { title: "Orders test" },
        sheets: [{ properties: { title: "Orders" } }, { properties: { title: "Notes" } }],
      },
    });
    const spreadsheetId = created.spreadsheetId as string;
    const values = sheets.spreadsheets.values;
    const header = await values.update({
      spreadsheetId,
      range: "Orders!A1:C1",
      valueInputOption: "USER_ENTERED",
      requestBody: { values: [["Item", "Qty", "Code"]] },
    });
    expect(header).toEqual({
      spreadsheetId,
      updatedRange: "Orders!A1:C1",
      updatedRows: 1,
      updatedColumns: 3,
      updatedCells: 3,
    });
    const [put] = (await recorded(`/v4/spreadsheets/${spreadsheetId}/values/`)).filter((r) => r.method === "PUT");
    // The range is one path segment, escaped as the official client does (RFC 6570: "!" and ":" too).
    expect(put?.url).toBe(`/v4/spreadsheets/${spreadsheetId}/values/Orders%21A1%3AC1?valueInputOption=USER_ENTERED`);

    const typed = await values.append({
      spreadsheetId,
      range: "Orders!A:C",
      valueInputOption: "USER_ENTERED",
      requestBody: { values: [["Tea", "42", "007"]] },
    });
    expect(typed.updates?.updatedRange).toBe("Orders!A2:C2");
    const raw = await values.append({
      spreadsheetId,
      range: "Orders!A:C",
      valueInputOption: "RAW",
      requestBody: { majorDimension: "ROWS", values: [["Coffee", "3", "008"]] },
    });
    expect(raw.updates?.updatedRange).toBe("Orders!A3:C3");
    const [append] = (await recorded(`/v4/spreadsheets/${spreadsheetId}/values/Orders%21A%3AC:append`)).slice(-1);
    expect(new URL(append?.url ?? "", "http://x").searchParams.get("valueInputOption")).toBe("RAW");
    expect(JSON.parse(append?.body ?? "{}")).toEqual({ majorDimension: "ROWS", values: [["Coffee", "3", "008"]] });

    // USER_ENTERED made numbers of "42" and "007"; RAW kept the text. FORMATTED_VALUE (default) is always text.
    const unformatted = await values.get({
      spreadsheetId,
      range: "Orders!A2:C3",
      valueRenderOption: "UNFORMATTED_VALUE",
    });
    expect(unformatted.values).toEqual([
      ["Tea", 42, 7],
      ["Coffee", "3", "008"],
    ]);
    expect((await values.get({ spreadsheetId, range: "Orders" })).values).toEqual([
      ["Item", "Qty", "Code"],
      ["Tea", "42", "7"],
      ["Coffee", "3", "008"],
    ]);
    const columns = await values.get({ spreadsheetId, range: "Orders!A1:B3", majorDimension: "COLUMNS" });
    expect(columns.values).toEqual([
      ["Item", "Tea", "Coffee"],
      ["Qty", "42", "3"],
    ]);
    // An empty range has no `values` at all.
    expect(await values.get({ spreadsheetId, range: "Notes!A1:Z9" })).toEqual({
      range: "Notes!A1:Z9",
      majorDimension: "ROWS",
    });

    await values.update({
      spreadsheetId,
      range: "Orders!A5",
      valueInputOption: "RAW",
      requestBody: { values: [["Below"]] },
    });
    const inserted = await values.append({
      spreadsheetId,
      range: "Orders!A1:C1",
      valueInputOption: "USER_ENTERED",
      insertDataOption: "INSERT_ROWS",
      requestBody: { values: [["Milk", 1, "009"]] },
    });
    expect(inserted.updates?.updatedRange).toBe("Orders!A4:C4");
    expect((await values.get({ spreadsheetId, range: "Orders!A4:A6" })).values).toEqual([["Milk"], [], ["Below"]]);
  });

  it("reads the seeded demo spreadsheet and turns Sheets' refusals into GoogleApiError", async () => {
    const { sheets } = clientWith();
    const values = sheets.spreadsheets.values;
    const header = await values.get({ spreadsheetId: DEMO_SPREADSHEET_ID, range: "Signups!1:1" });
    expect(header.values).toEqual([["Name", "Email", "Plan", "Seats"]]);
    const badRange = await caught(values.get({ spreadsheetId: DEMO_SPREADSHEET_ID, range: "Nope!A1" }), GoogleApiError);
    expect(badRange.message).toContain("Unable to parse range: Nope!A1");
    const tooMany = await caught(
      values.update({
        spreadsheetId: DEMO_SPREADSHEET_ID,
        range: "Signups!F1:F1",
        valueInputOption: "RAW",
        requestBody: { values: [["a"], ["b"]] },
      }),
      GoogleApiError,
    );
    expect(tooMany.message).toContain("but tried writing to row [2]");
    const noOption = await caught(
      values.append({ spreadsheetId: DEMO_SPREADSHEET_ID, range: "Signups", requestBody: { values: [["x"]] } }),
      GoogleApiError,
    );
    expect(noOption.message).toContain("'valueInputOption' is required");
  });

  it("a 404 is a GoogleApiError that says in plain words what to check", async () => {
    const google = clientWith();
    const missingSheet = await caught(
      google.sheets.spreadsheets.get({ spreadsheetId: "no-such-spreadsheet" }),
      GoogleApiError,
    );
    expect(missingSheet).toMatchObject({
      name: "GoogleApiError",
      status: 404,
      googleStatus: "NOT_FOUND",
      reason: "notFound",
    });
    expect(missingSheet.message).toMatch(/^Google could not find it in Google Sheets\. Check the id/);
    const missingFile = await caught(google.drive.files.get({ fileId: "no-such-file" }), GoogleApiError);
    expect(missingFile).toMatchObject({ status: 404, googleStatus: "NOT_FOUND", reason: "notFound" });
    expect(missingFile.message).toContain("Google could not find it in Google Drive.");
    expect(missingFile.message).toContain("File not found: no-such-file.");
    const badQuery = await caught(google.drive.files.list({ q: "name = 'unclosed" }), GoogleApiError);
    expect(badQuery).toMatchObject({ status: 400, reason: "invalid" });
  });
});

describe("Gmail", () => {
  async function sentMessages(): Promise<SentMessage[]> {
    return (await (await fetch(`${fakeBase()}/__fake/gmail/sent`)).json()) as SentMessage[];
  }

  it("sends with gmail.send: an RFC 2822 message the fake decodes back (UTF-8 subject, names, body)", async () => {
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
    const raw = (JSON.parse(request?.body ?? "{}") as { raw: string }).raw;
    expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);

    const message = (await sentMessages()).find((candidate) => candidate.id === sent.id) as SentMessage;
    expect(message.subject).toBe(subject);
    expect(message.text).toBe(text);
    expect(message.to).toEqual([{ name: "Zoë Ünal", address: "zoe@example.com" }, { address: "bob@example.com" }]);
    expect(message.bcc).toEqual([{ address: "audit@example.com" }]);
    expect(message.replyTo).toEqual({ name: "Support", address: "help@example.com" });
    expect(message.from.address).toBe(GOOGLE_FAKE_USER.email);
    // RFC 2047: the subject travels as ASCII encoded-words of at most 75 characters each.
    const words = message.rawHeaders.subject?.split(" ") ?? [];
    expect(words.length).toBeGreaterThan(1);
    for (const word of words) expect(word).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    expect(Math.max(...words.map((word) => word.length))).toBeLessThanOrEqual(75);
  });

  it("sends with the generated users.messages.send and rawEmail: text and HTML as multipart/alternative", async () => {
    const raw = rawEmail({
      to: "ada@example.com",
      subject: "Plain ASCII subject",
      text: "Hi Ada",
      html: "<p>Hi <b>Ada</b> ✓</p>",
    });
    const sent = await clientWith().gmail.users.messages.send({ userId: "me", requestBody: { raw } });
    expect(sent).toEqual({ id: expect.stringMatching(/^[0-9a-f]{16}$/), threadId: sent.id, labelIds: ["SENT"] });
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
    expect(() => rawEmail({ to: "ada@example.com", subject: "a\nb", text: "x" })).toThrow(EmailInputError);
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
    const error = await caught(
      clientWith("ya29.unknown").calendar.events.list({ calendarId: "primary" }),
      GoogleApiError,
    );
    expect(error).toMatchObject({ status: 401, googleStatus: "UNAUTHENTICATED", reason: "authError" });
    expect(error.message).toContain("reconnect Google");
  });

  it("a token without the needed scope is a 403 that says to grant it", async () => {
    const calendarOnly = await runAuthorizationFlow(env.GOOGLE_OAUTH_BASE as string, {
      scopes: ["openid", `${AUTH}calendar.events`],
    });
    const google = clientWith(calendarOnly.access_token);
    expect((await google.calendar.events.list({ calendarId: "primary", maxResults: 1 })).items).toHaveLength(1);
    for (const call of [
      google.sheets.spreadsheets.values.get({ spreadsheetId: DEMO_SPREADSHEET_ID, range: "Signups" }),
      google.drive.files.list({ q: "trashed = false" }),
    ]) {
      const error = await caught(call, GoogleApiError);
      expect(error).toMatchObject({
        status: 403,
        googleStatus: "PERMISSION_DENIED",
        reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
      });
      expect(error.message).toContain("tick every permission");
    }
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
    await google.calendar.events.list({ calendarId: "primary", maxResults: 1 });
    await google.sheets.spreadsheets.values.get({ spreadsheetId: DEMO_SPREADSHEET_ID, range: "Signups!A1" });
    await google.drive.files.list({ pageSize: 1 });
    expect(sentByApp.map((request) => new URL(request.url).host)).toEqual([
      "www.googleapis.com",
      "sheets.googleapis.com",
      "www.googleapis.com",
    ]);
    expect(sentByApp.every((request) => request.headers.get("authorization") === null)).toBe(true);
    await expect(
      proxyLikeFetch(googleRule, { upstreamBase: fakeBase(), credential: "x" })("https://oauth2.googleapis.com/token"),
    ).rejects.toThrow("not allowed");
  });
});

describe("requests as the official client sends them", () => {
  it("refuses a call missing a required parameter, or a path parameter that climbs, before sending", async () => {
    sentByApp.length = 0;
    const google = clientWith();
    const missing = await caught(google.sheets.spreadsheets.values.get({ range: "A1" } as never), GoogleApiError);
    expect(missing).toMatchObject({ status: 400, googleStatus: "INVALID_ARGUMENT", reason: "required" });
    expect(missing.message).toBe(
      "google.sheets.spreadsheets.values.get: missing required parameter spreadsheetId. Nothing was sent to Google.",
    );
    const query = await caught(
      google.calendar.events.move({ calendarId: "primary", eventId: "abc" } as never),
      GoogleApiError,
    );
    expect(query.message).toContain("missing required parameter destination");
    await caught(google.drive.files.get({ fileId: ".." }), GoogleApiError);
    expect((await caught(google.drive.files.delete({ fileId: "" }), GoogleApiError)).message).toContain(
      "missing required parameter fileId",
    );
    const body = await caught(
      google.calendar.events.delete({ calendarId: "primary", eventId: "abc", requestBody: {} } as never),
      GoogleApiError,
    );
    expect(body.message).toContain("this method takes no requestBody");
    expect(sentByApp).toHaveLength(0);
  });

  it("sends media to the upload URL: metadata and content as multipart/related, or the content alone", async () => {
    const multipart = googleRequest("drive.files.create", {
      requestBody: { name: "notes.txt" },
      media: { mimeType: "text/plain", body: "Hello ✓" },
      fields: "id",
    });
    expect(multipart.url).toBe("https://www.googleapis.com/upload/drive/v3/files?fields=id&uploadType=multipart");
    const type = (multipart.init.headers as Record<string, string>)["content-type"] ?? "";
    const boundary = /^multipart\/related; boundary=(kiln-[0-9a-f-]+)$/.exec(type)?.[1];
    expect(boundary).toBeDefined();
    expect(await new Response(multipart.init.body).text()).toBe(
      `--${boundary}\r\ncontent-type: application/json; charset=UTF-8\r\n\r\n{"name":"notes.txt"}\r\n` +
        `--${boundary}\r\ncontent-type: text/plain\r\n\r\nHello ✓\r\n--${boundary}--`,
    );
    const media = googleRequest("drive.files.update", { fileId: "1abc", media: { body: new Uint8Array([1, 2, 3]) } });
    expect(media.url).toBe("https://www.googleapis.com/upload/drive/v3/files/1abc?uploadType=media");
    expect(media.init).toMatchObject({ method: "PATCH", headers: { "content-type": "application/octet-stream" } });
    expect(new Uint8Array(await new Response(media.init.body).arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    // Repeated parameters repeat; spaces are %20.
    expect(
      googleRequest("sheets.spreadsheets.values.batchGet", { spreadsheetId: "s 1", ranges: ["A b!A1", "B!B2"] }).url,
    ).toBe("https://sheets.googleapis.com/v4/spreadsheets/s%201/values:batchGet?ranges=A%20b%21A1&ranges=B%21B2");
  });

  it("every method's host is one the egress rule allows", () => {
    const hosts = new Set(Object.values(GOOGLE_METHODS).map((method) => method.host));
    expect([...hosts].sort()).toEqual([...googleRule.hosts].sort());
    expect(Object.keys(GOOGLE_METHODS).length).toBeGreaterThan(150);
  });

  it("every call this file made has the official client's method and URL", () => {
    for (const [name, template] of Object.entries(OFFICIAL)) {
      const method = GOOGLE_METHODS[name];
      expect(`${method?.httpMethod} https://${method?.host}${method?.path}`, name).toBe(template);
    }
    const segment = "[A-Za-z0-9._~%-]+";
    const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const patterns = Object.entries(OFFICIAL).map(([name, template]) => {
      const [method, address] = template.split(" ") as [string, string];
      const pattern = new RegExp(
        `^${address
          .split(/\{\w+\}/)
          .map(literal)
          .join(segment)}$`,
      );
      return { name, method, pattern, params: [...address.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string) };
    });
    const used = new Set<string>();
    expect(sentInFile.length).toBeGreaterThan(40);
    for (const request of sentInFile) {
      const url = new URL(request.url);
      const matches = patterns.filter(
        (p) => p.method === request.method && p.pattern.test(`${url.origin}${url.pathname}`),
      );
      expect(
        matches.map((m) => m.name),
        `${request.method} ${request.url}`,
      ).toHaveLength(1);
      const [match] = matches;
      used.add(match?.name ?? "");
      for (const param of match?.params ?? [])
        expect(url.searchParams.has(param), `${param} in ${request.url}`).toBe(false);
      expect(request.headers.get("authorization")).toBeNull();
    }
    expect([...used].sort()).toEqual(Object.keys(OFFICIAL).sort());
  });
});
