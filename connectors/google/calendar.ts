// Google Calendar v3 from inside the app isolate (https://www.googleapis.com/calendar/v3).
import type { calendar_v3 } from "@googleapis/calendar";
import { callGoogle, queryString, type Fetch } from "./google-request";
import type * as Api from "./index";

const CALENDAR = "https://www.googleapis.com/calendar/v3";

function eventsPath(calendarId = "primary"): string {
  return `${CALENDAR}/calendars/${encodeURIComponent(calendarId)}/events`;
}

// Google's JSON leaves absent fields out rather than sending null, so its
// events already have the lean shape apps see (plus fields apps may ignore).
function toEvent(event: calendar_v3.Schema$Event): Api.CalendarEvent {
  return event as Api.CalendarEvent;
}

/** Calendar operations over `fetchFn`. */
export function calendarClient(fetchFn: Fetch): Api.GoogleCalendar {
  const call = <T>(method: string, url: string, body?: unknown) =>
    callGoogle<T>(fetchFn, "Google Calendar", method, url, body);

  const listEvents = async (options: Api.ListEventsOptions = {}) => {
    const { calendarId, ...params } = options;
    const page = await call<calendar_v3.Schema$Events>("GET", `${eventsPath(calendarId)}${queryString(params)}`);
    const events = (page.items ?? []).map(toEvent);
    return page.nextPageToken ? { events, nextPageToken: page.nextPageToken } : { events };
  };

  return {
    listEvents,
    async listAllEvents(options = {}) {
      const events: Api.CalendarEvent[] = [];
      let pageToken: string | undefined;
      do {
        const page = await listEvents({ ...options, pageToken });
        events.push(...page.events);
        pageToken = page.nextPageToken;
      } while (pageToken !== undefined);
      return events;
    },
    async createEvent(event, options = {}) {
      const body: calendar_v3.Schema$Event = event;
      return toEvent(
        await call(
          "POST",
          `${eventsPath(options.calendarId)}${queryString({ sendUpdates: options.sendUpdates })}`,
          body,
        ),
      );
    },
    async updateEvent(eventId, changes, options = {}) {
      const body: calendar_v3.Schema$Event = changes;
      const url = `${eventsPath(options.calendarId)}/${encodeURIComponent(eventId)}${queryString({ sendUpdates: options.sendUpdates })}`;
      return toEvent(await call("PATCH", url, body));
    },
    async deleteEvent(eventId, options = {}) {
      await call(
        "DELETE",
        `${eventsPath(options.calendarId)}/${encodeURIComponent(eventId)}${queryString({ sendUpdates: options.sendUpdates })}`,
      );
    },
    async freeBusy(query) {
      const body: calendar_v3.Schema$FreeBusyRequest = {
        timeMin: query.timeMin,
        timeMax: query.timeMax,
        timeZone: query.timeZone,
        items: (query.calendarIds ?? ["primary"]).map((id) => ({ id })),
      };
      const answer = await call<calendar_v3.Schema$FreeBusyResponse>("POST", `${CALENDAR}/freeBusy`, body);
      const result: Record<string, { busy: Api.TimeRange[]; errors?: { reason: string }[] }> = {};
      for (const [id, calendar] of Object.entries(answer.calendars ?? {})) {
        const busy = (calendar.busy ?? []).map((range) => ({ start: range.start ?? "", end: range.end ?? "" }));
        const errors = (calendar.errors ?? []).map((error) => ({ reason: error.reason ?? "unknown" }));
        result[id] = errors.length > 0 ? { busy, errors } : { busy };
      }
      return result;
    },
  };
}
