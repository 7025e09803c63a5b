// kiln/google: the app owner's Google Calendar, Google Sheets and Gmail
// (sending). Kiln adds the owner's Google sign-in outside the app; never put a token in code.

/** A moment: `dateTime` (RFC 3339, e.g. "2025-06-01T09:00:00+02:00") or, for all-day events, `date` ("2025-06-01"). */
export interface EventTime {
  dateTime?: string;
  date?: string;
  /** IANA zone, e.g. "Europe/Paris"; needed for recurring events. */
  timeZone?: string;
}

/** A calendar event as Google returns it (the most useful fields). */
export interface CalendarEvent {
  id: string;
  status?: "confirmed" | "tentative" | "cancelled";
  summary?: string;
  description?: string;
  location?: string;
  start: EventTime;
  end: EventTime;
  attendees?: { email: string; displayName?: string; optional?: boolean; responseStatus?: string }[];
  /** RRULE lines, e.g. ["RRULE:FREQ=WEEKLY;COUNT=5"]. */
  recurrence?: string[];
  /** Link to the event in Google Calendar. */
  htmlLink?: string;
  created?: string;
  updated?: string;
}

/** Fields to set on an event; `start` and `end` are required to create one. */
export type EventInput = Partial<Pick<CalendarEvent, "summary" | "description" | "location" | "start" | "end" | "attendees" | "recurrence" | "status">>;

/** Where an event call applies; `calendarId` defaults to "primary", the owner's main calendar. */
export interface EventOptions {
  calendarId?: string;
  /** Whom Google emails about the change (default "none"). */
  sendUpdates?: "all" | "externalOnly" | "none";
}

/** Which events `listEvents` returns. */
export interface ListEventsOptions {
  calendarId?: string;
  /** Only events ending after this RFC 3339 time. */
  timeMin?: string;
  /** Only events starting before this RFC 3339 time. */
  timeMax?: string;
  /** Free-text search (summary, description, location, attendees). */
  q?: string;
  /** Expand recurring events into their occurrences. */
  singleEvents?: boolean;
  /** "startTime" needs `singleEvents: true`. */
  orderBy?: "startTime" | "updated";
  /** Events per page, up to 2500 (default 250). */
  maxResults?: number;
  /** The `nextPageToken` of the previous page. */
  pageToken?: string;
}

/** A busy stretch of time (RFC 3339). */
export interface TimeRange {
  start: string;
  end: string;
}

/** Google Calendar. */
export interface GoogleCalendar {
  /** One page of events; pass `nextPageToken` back for the next. */
  listEvents(options?: ListEventsOptions): Promise<{ events: CalendarEvent[]; nextPageToken?: string }>;
  /** Every matching event, page after page (one outbound call per page). */
  listAllEvents(options?: Omit<ListEventsOptions, "pageToken">): Promise<CalendarEvent[]>;
  /** Creates an event. */
  createEvent(event: EventInput & { start: EventTime; end: EventTime }, options?: EventOptions): Promise<CalendarEvent>;
  /** Changes only the given fields of an event. */
  updateEvent(eventId: string, changes: EventInput, options?: EventOptions): Promise<CalendarEvent>;
  /** Deletes an event. */
  deleteEvent(eventId: string, options?: EventOptions): Promise<void>;
  /** Busy times of calendars (default ["primary"]) between two RFC 3339 times, by calendar id. */
  freeBusy(query: { timeMin: string; timeMax: string; calendarIds?: string[]; timeZone?: string }): Promise<Record<string, { busy: TimeRange[]; errors?: { reason: string }[] }>>;
}

/** A cell: FORMATTED_VALUE (the default) returns every cell as text. */
export type CellValue = string | number | boolean;

/** How written text is read: "USER_ENTERED" (default) parses numbers, dates and formulas like typing; "RAW" stores it as is. */
export type ValueInputOption = "USER_ENTERED" | "RAW";

/** Cells written by an append or update. */
export interface SheetUpdate {
  updatedRange: string;
  updatedRows: number;
  updatedColumns: number;
  updatedCells: number;
}

/** Google Sheets. Ranges are A1 notation: "Sheet1!A1:C10", "Sheet1!A:C", "Sheet1". */
export interface GoogleSheets {
  /** Creates a spreadsheet owned by the connected account. */
  createSpreadsheet(title: string, sheetTitles?: string[]): Promise<{ spreadsheetId: string; url: string }>;
  /** Cells of a range, row by row; trailing empty rows and cells are left out. */
  getValues(spreadsheetId: string, range: string, options?: { valueRenderOption?: "FORMATTED_VALUE" | "UNFORMATTED_VALUE" | "FORMULA"; majorDimension?: "ROWS" | "COLUMNS" }): Promise<CellValue[][]>;
  /** Adds rows after the last row of the table found in `range` (e.g. "Sheet1!A:C"). */
  appendValues(spreadsheetId: string, range: string, rows: CellValue[][], options?: { valueInputOption?: ValueInputOption; insertDataOption?: "INSERT_ROWS" | "OVERWRITE" }): Promise<SheetUpdate>;
  /** Overwrites the cells of a range. */
  updateValues(spreadsheetId: string, range: string, rows: CellValue[][], options?: { valueInputOption?: ValueInputOption }): Promise<SheetUpdate>;
}

/** An email. Addresses are "ada@example.com" or "Ada Lovelace <ada@example.com>". */
export interface EmailMessage {
  to: string | string[];
  cc?: string | string[];
  bcc?: string | string[];
  subject: string;
  /** Plain-text body; give `text`, `html` or both. */
  text?: string;
  html?: string;
  replyTo?: string;
  /** Defaults to the connected account; another address must be one of its Gmail "send as" aliases. */
  from?: string;
}

/** Gmail (sending only). */
export interface GoogleGmail {
  /** Sends an email from the connected account. */
  send(message: EmailMessage): Promise<{ id: string; threadId: string }>;
}

/** The Google client of an app. */
export interface GoogleClient {
  calendar: GoogleCalendar;
  sheets: GoogleSheets;
  gmail: GoogleGmail;
}

/** Ready to use: `google.calendar.listEvents({ timeMin })`. */
export declare const google: GoogleClient;

/** A client with its own `fetch` (tests); apps use `google`. */
export declare function createGoogleClient(options?: { fetch?: typeof fetch }): GoogleClient;

/** Google refused or failed a request; `message` says what to do. */
export declare class GoogleApiError extends Error {
  constructor(init: { status: number; googleStatus: string; reason?: string; message: string });
  /** HTTP status: 400 invalid request, 401 sign-in expired or revoked, 403 not allowed, 404 not found, 429 rate limit. */
  readonly status: number;
  /** Google's status word, e.g. "INVALID_ARGUMENT", "UNAUTHENTICATED", "PERMISSION_DENIED", "NOT_FOUND". */
  readonly googleStatus: string;
  /** Google's reason, e.g. "notFound", "insufficientPermissions", "rateLimitExceeded". */
  readonly reason?: string;
}

/** A message the app built cannot be sent as is (no recipient, no body, a line break in a header…). */
export declare class EmailInputError extends Error {
  constructor(message: string);
}
