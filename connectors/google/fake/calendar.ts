// Google Calendar v3 as the fake serves it under /calendar/v3: events list
// (time window, q, orderBy, pageToken), insert, get, patch, delete, and
// freeBusy. Errors use the Calendar API's own shape (no `status` word).
import { randomBytes } from "node:crypto";
import type { calendar_v3 } from "@googleapis/calendar";
import { GOOGLE_FAKE_USER } from "./credentials.ts";
import { calendarError, requireScope } from "./errors.ts";
import { json, type FakeRequest, type FakeResponse } from "../../testing/fake-http.ts";
import type { TokenInfo } from "./oauth.ts";
import { demoEvents } from "./seed.ts";

type Event = calendar_v3.Schema$Event;

const AUTH = "https://www.googleapis.com/auth/";
// The scopes each method accepts, as Google documents them.
const READ_SCOPES = [
  "calendar",
  "calendar.readonly",
  "calendar.events",
  "calendar.events.readonly",
  "calendar.events.owned",
  "calendar.events.owned.readonly",
  "calendar.app.created",
  "calendar.events.freebusy",
  "calendar.events.public.readonly",
].map((s) => AUTH + s);
const WRITE_SCOPES = ["calendar", "calendar.events", "calendar.events.owned", "calendar.app.created"].map(
  (s) => AUTH + s,
);
const FREEBUSY_SCOPES = ["calendar", "calendar.readonly", "calendar.freebusy", "calendar.events.freebusy"].map(
  (s) => AUTH + s,
);
const SERVICE = "calendar-json.googleapis.com";
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Calendar {
  id: string;
  summary: string;
  timeZone: string;
  events: Map<string, Event>;
}

function eventId(): string {
  // Google event ids use base32hex: lower-case a–v and digits.
  return [...randomBytes(20)].map((byte) => "0123456789abcdefghijklmnopqrstuv"[byte % 32]).join("");
}

/** Start or end of an event in ms; all-day dates count from UTC midnight. */
function instant(time: calendar_v3.Schema$EventDateTime | undefined): number {
  if (time?.dateTime) return Date.parse(time.dateTime);
  if (time?.date) return Date.parse(`${time.date}T00:00:00Z`);
  return Number.NaN;
}

function utc(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

function checkTimes(event: Event): void {
  if (!event.start) throw calendarError(400, "required", "Missing start time.");
  if (!event.end) throw calendarError(400, "required", "Missing end time.");
  if (Boolean(event.start.date) !== Boolean(event.end.date))
    throw calendarError(400, "badRequest", "Start and end times must either both be date or both be dateTime.");
  for (const [name, time] of [
    ["start", event.start],
    ["end", event.end],
  ] as const) {
    if (time.date ? !DATE.test(time.date) : !time.dateTime || Number.isNaN(Date.parse(time.dateTime)))
      throw calendarError(400, "invalid", `Invalid ${name} time.`);
    if (time.dateTime && !RFC3339.test(time.dateTime) && !time.timeZone)
      throw calendarError(400, "badRequest", `Missing time zone definition for ${name} time.`);
  }
  if (instant(event.end) < instant(event.start))
    throw calendarError(400, "timeRangeEmpty", "The specified time range is empty.");
}

function matchesText(event: Event, q: string): boolean {
  const haystack = [
    event.summary,
    event.description,
    event.location,
    ...(event.attendees ?? []).flatMap((a) => [a.email, a.displayName]),
  ]
    .join("\n")
    .toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((term) => haystack.includes(term));
}

/** Every calendar of the fake's one account. */
export class CalendarStore {
  private readonly calendars = new Map<string, Calendar>();
  private readonly pages = new Map<string, string[]>();

  constructor(now = new Date()) {
    const primary: Calendar = {
      id: GOOGLE_FAKE_USER.email,
      summary: GOOGLE_FAKE_USER.email,
      timeZone: "UTC",
      events: new Map(),
    };
    this.calendars.set(primary.id, primary);
    for (const event of demoEvents(now)) this.insert(primary, event);
  }

  private calendar(id: string): Calendar {
    const calendar = this.calendars.get(id === "primary" ? GOOGLE_FAKE_USER.email : id);
    if (!calendar) throw calendarError(404, "notFound", "Not Found");
    return calendar;
  }

  private insert(calendar: Calendar, input: Event): Event {
    checkTimes(input);
    const id = input.id ?? eventId();
    if (calendar.events.has(id)) throw calendarError(409, "duplicate", "The requested identifier already exists.");
    const now = new Date().toISOString();
    const event: Event = {
      kind: "calendar#event",
      etag: `"${Date.now()}000"`,
      id,
      status: "confirmed",
      htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${id} ${calendar.id}`).toString("base64url")}`,
      created: now,
      updated: now,
      creator: { email: GOOGLE_FAKE_USER.email, self: true },
      organizer: { email: calendar.id, self: true },
      iCalUID: `${id}@google.com`,
      sequence: 0,
      reminders: { useDefault: true },
      eventType: "default",
      ...input,
    };
    calendar.events.set(id, event);
    return event;
  }

  private list(calendar: Calendar, query: URLSearchParams): calendar_v3.Schema$Events {
    let ids: string[];
    let start = 0;
    const maxResults = Math.min(Number(query.get("maxResults") ?? 250), 2500);
    if (!Number.isInteger(maxResults) || maxResults < 1)
      throw calendarError(400, "invalid", "Invalid value for maxResults.");
    const pageToken = query.get("pageToken");
    if (pageToken) {
      const [key, position] = pageToken.split(".");
      const stored = this.pages.get(key);
      if (!stored) throw calendarError(400, "invalid", "Invalid page token value.");
      ids = stored;
      start = Number(position);
    } else {
      for (const name of ["timeMin", "timeMax"]) {
        const value = query.get(name);
        if (value !== null && !RFC3339.test(value)) throw calendarError(400, "badRequest", "Bad Request");
      }
      const singleEvents = query.get("singleEvents") === "true";
      const orderBy = query.get("orderBy");
      if (orderBy === "startTime" && !singleEvents)
        throw calendarError(400, "badRequest", "The requested ordering is not available for the particular query.");
      if (orderBy !== null && orderBy !== "startTime" && orderBy !== "updated")
        throw calendarError(400, "invalid", `Invalid value for orderBy: ${orderBy}`);
      const timeMin =
        query.get("timeMin") === null ? Number.NEGATIVE_INFINITY : Date.parse(query.get("timeMin") as string);
      const timeMax =
        query.get("timeMax") === null ? Number.POSITIVE_INFINITY : Date.parse(query.get("timeMax") as string);
      const q = query.get("q");
      const events = [...calendar.events.values()].filter(
        (event) =>
          (event.status !== "cancelled" || query.get("showDeleted") === "true") &&
          instant(event.end) > timeMin &&
          instant(event.start) < timeMax &&
          (q === null || matchesText(event, q)),
      );
      if (orderBy === "startTime") events.sort((a, b) => instant(a.start) - instant(b.start));
      if (orderBy === "updated") events.sort((a, b) => Date.parse(a.updated ?? "") - Date.parse(b.updated ?? ""));
      ids = events.map((event) => event.id as string);
    }
    const items = ids.slice(start, start + maxResults).flatMap((id) => calendar.events.get(id) ?? []);
    const page: calendar_v3.Schema$Events = {
      kind: "calendar#events",
      etag: `"${Date.now()}"`,
      summary: calendar.summary,
      description: "",
      updated: new Date().toISOString(),
      timeZone: calendar.timeZone,
      accessRole: "owner",
      defaultReminders: [{ method: "popup", minutes: 10 }],
      items,
    };
    if (start + maxResults < ids.length) {
      const key = pageToken?.split(".")[0] ?? randomBytes(12).toString("base64url");
      this.pages.set(key, ids);
      page.nextPageToken = `${key}.${start + maxResults}`;
    } else {
      page.nextSyncToken = randomBytes(12).toString("base64url");
    }
    return page;
  }

  private freeBusy(body: calendar_v3.Schema$FreeBusyRequest): calendar_v3.Schema$FreeBusyResponse {
    if (!body.timeMin) throw calendarError(400, "required", "Missing timeMin parameter.");
    if (!body.timeMax) throw calendarError(400, "required", "Missing timeMax parameter.");
    if (!RFC3339.test(body.timeMin) || !RFC3339.test(body.timeMax))
      throw calendarError(400, "badRequest", "Bad Request");
    const from = Date.parse(body.timeMin);
    const to = Date.parse(body.timeMax);
    if (to < from) throw calendarError(400, "timeRangeEmpty", "The specified time range is empty.");
    const calendars: Record<string, calendar_v3.Schema$FreeBusyCalendar> = {};
    for (const item of body.items ?? []) {
      const id = item.id ?? "";
      const calendar = this.calendars.get(id === "primary" ? GOOGLE_FAKE_USER.email : id);
      if (!calendar) {
        calendars[id] = { errors: [{ domain: "global", reason: "notFound" }], busy: [] };
        continue;
      }
      const spans = [...calendar.events.values()]
        .filter((event) => event.status !== "cancelled" && event.transparency !== "transparent")
        .map((event) => [Math.max(instant(event.start), from), Math.min(instant(event.end), to)])
        .filter(([start, end]) => start < end)
        .sort((a, b) => a[0] - b[0]);
      const merged: number[][] = [];
      for (const span of spans) {
        const last = merged[merged.length - 1];
        if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
        else merged.push([...span]);
      }
      calendars[id] = { busy: merged.map(([start, end]) => ({ start: utc(start), end: utc(end) })) };
    }
    return { kind: "calendar#freeBusy", timeMin: utc(from), timeMax: utc(to), calendars };
  }

  /** Answers a `/calendar/v3/…` request made with a valid token. */
  handle(request: FakeRequest, token: TokenInfo): FakeResponse {
    const parts = request.url.pathname.split("/").slice(3).map(decodeURIComponent);
    const body = () => JSON.parse(request.body || "{}") as Event;
    const method = request.method;
    if (parts[0] === "freeBusy" && parts.length === 1 && method === "POST") {
      requireScope(token.scopes, FREEBUSY_SCOPES, SERVICE, "calendar.v3.Freebusy.Query");
      return json(200, this.freeBusy(body() as calendar_v3.Schema$FreeBusyRequest));
    }
    if (parts[0] !== "calendars" || parts[2] !== "events" || parts.length > 4)
      throw calendarError(404, "notFound", "Not Found");
    if (method === "GET")
      requireScope(
        token.scopes,
        READ_SCOPES,
        SERVICE,
        parts.length === 3 ? "calendar.v3.Events.List" : "calendar.v3.Events.Get",
      );
    else
      requireScope(
        token.scopes,
        WRITE_SCOPES,
        SERVICE,
        `calendar.v3.Events.${method === "POST" ? "Insert" : method === "PATCH" ? "Patch" : "Delete"}`,
      );
    const calendar = this.calendar(parts[1]);
    if (parts.length === 3) {
      if (method === "GET") return json(200, this.list(calendar, request.url.searchParams));
      if (method === "POST") return json(200, this.insert(calendar, body()));
      throw calendarError(404, "notFound", "Not Found");
    }
    const event = calendar.events.get(parts[3]);
    if (!event) throw calendarError(404, "notFound", "Not Found");
    if (method === "GET") return json(200, event);
    if (method === "PATCH") {
      const changed: Event = {
        ...event,
        ...body(),
        id: event.id,
        updated: new Date().toISOString(),
        sequence: (event.sequence ?? 0) + 1,
      };
      checkTimes(changed);
      calendar.events.set(parts[3], changed);
      return json(200, changed);
    }
    if (method === "DELETE") {
      if (event.status === "cancelled") throw calendarError(410, "deleted", "Resource has been deleted");
      calendar.events.set(parts[3], { ...event, status: "cancelled", updated: new Date().toISOString() });
      return { status: 204 };
    }
    throw calendarError(404, "notFound", "Not Found");
  }
}
