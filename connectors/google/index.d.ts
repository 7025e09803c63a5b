// Calendar, Sheets, Gmail (send). Times are RFC 3339.

/** `date` ("2025-06-01") for all-day events; IANA `timeZone` for recurring ones. */
export interface EventTime { dateTime?: string; date?: string; timeZone?: string }

export interface CalendarEvent {
  id: string; status?: "confirmed" | "tentative" | "cancelled"; summary?: string; description?: string; location?: string;
  start: EventTime; end: EventTime; attendees?: { email: string; displayName?: string; responseStatus?: string }[];
  /** e.g. ["RRULE:FREQ=WEEKLY;COUNT=5"] */ recurrence?: string[]; htmlLink?: string;
}
export type EventInput = Partial<Omit<CalendarEvent, "id" | "htmlLink">>;
/** `calendarId` defaults to "primary"; `sendUpdates` (whom Google emails) to "none". */
export interface EventOptions { calendarId?: string; sendUpdates?: "all" | "externalOnly" | "none" }
export interface ListEventsOptions {
  calendarId?: string; /** Events ending after. */ timeMin?: string; /** Events starting before. */ timeMax?: string; q?: string;
  /** Expand recurring events. */ singleEvents?: boolean; /** "startTime" needs `singleEvents`. */ orderBy?: "startTime" | "updated";
  maxResults?: number; pageToken?: string;
}
export interface TimeRange { start: string; end: string }

export interface GoogleCalendar {
  listEvents(options?: ListEventsOptions): Promise<{ events: CalendarEvent[]; nextPageToken?: string }>;
  /** Every page. */
  listAllEvents(options?: Omit<ListEventsOptions, "pageToken">): Promise<CalendarEvent[]>;
  createEvent(event: EventInput & { start: EventTime; end: EventTime }, options?: EventOptions): Promise<CalendarEvent>;
  /** Changes only the given fields. */
  updateEvent(eventId: string, changes: EventInput, options?: EventOptions): Promise<CalendarEvent>;
  deleteEvent(eventId: string, options?: EventOptions): Promise<void>;
  /** Busy times by calendar id (default ["primary"]). */
  freeBusy(query: { timeMin: string; timeMax: string; calendarIds?: string[]; timeZone?: string }): Promise<Record<string, { busy: TimeRange[]; errors?: { reason: string }[] }>>;
}

/** Read as text unless `valueRenderOption` says otherwise. */
export type CellValue = string | number | boolean;
/** "USER_ENTERED" (default) parses numbers, dates and formulas as if typed; "RAW" stores text as is. */
export type ValueInputOption = "USER_ENTERED" | "RAW";
export interface SheetUpdate { updatedRange: string; updatedRows: number; updatedColumns: number; updatedCells: number }

/** Ranges are A1 notation: "Sheet1!A1:C10", "Sheet1!A:C", "Sheet1". */
export interface GoogleSheets {
  createSpreadsheet(title: string, sheetTitles?: string[]): Promise<{ spreadsheetId: string; url: string }>;
  /** Rows of cells; trailing empty ones left out. */
  getValues(spreadsheetId: string, range: string, options?: { valueRenderOption?: "FORMATTED_VALUE" | "UNFORMATTED_VALUE" | "FORMULA"; majorDimension?: "ROWS" | "COLUMNS" }): Promise<CellValue[][]>;
  /** Adds rows after the table found in `range`. */
  appendValues(spreadsheetId: string, range: string, rows: CellValue[][], options?: { valueInputOption?: ValueInputOption; insertDataOption?: "INSERT_ROWS" | "OVERWRITE" }): Promise<SheetUpdate>;
  updateValues(spreadsheetId: string, range: string, rows: CellValue[][], options?: { valueInputOption?: ValueInputOption }): Promise<SheetUpdate>;
}

/** Give `text`, `html` or both; `from` must be a Gmail "send as" alias. */
export interface EmailMessage { to: string | string[]; cc?: string | string[]; bcc?: string | string[]; subject: string; text?: string; html?: string; replyTo?: string; from?: string }
export interface GoogleGmail {
  send(message: EmailMessage): Promise<{ id: string; threadId: string }>;
}

export interface GoogleClient { calendar: GoogleCalendar; sheets: GoogleSheets; gmail: GoogleGmail }
export declare const google: GoogleClient;

/** `message` says what to do. */
export declare class GoogleApiError extends Error {
  private constructor(init: never);
  /** 401: sign-in expired or revoked; 403 not allowed; 429 rate limit. */
  readonly status: number;
  /** e.g. "NOT_FOUND"; `reason` e.g. "rateLimitExceeded". */
  readonly googleStatus: string; readonly reason?: string;
}
/** The email cannot be sent as is (no recipient, no body…). */
export declare class EmailInputError extends Error {
  constructor(message: string);
}
