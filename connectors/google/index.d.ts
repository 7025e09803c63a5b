// Google Sheets v4, Calendar v3, Gmail v1 and Drive v3, typed from Google's @googleapis types (generated into ./api by
// scripts/build-google-api.mjs), shaped like the official Node client, signed in as the owner outside the app:
// `google.sheets.spreadsheets.values.append({ spreadsheetId, range, valueInputOption, requestBody })` resolves to the
// data itself (no `.data`). Times are RFC 3339.
import type { Gmail, GoogleApi } from "./api/client";

export type * from "./api/client";

/** Give `text`, `html` or both; `from` must be a Gmail "send as" alias. */
export interface EmailMessage { to: string | string[]; cc?: string | string[]; bcc?: string | string[]; subject: string; text?: string; html?: string; replyTo?: string; from?: string }

/**
 * calendarId "primary" and userId "me" are the owner's. Lists give one page: pass `nextPageToken` as `pageToken`.
 * Sheets writes need `valueInputOption` ("USER_ENTERED" or "RAW"). A sheet by name: `drive.files.list({ q: "name = 'Orders' and
 * mimeType = 'application/vnd.google-apps.spreadsheet' and trashed = false" })`. Types: `Sheets.ValueRange`, `Calendar.Event`, `Drive.File`.
 */
export declare const google: GoogleApi & {
  gmail: Gmail.Api & {
    /** Sends an email from the owner's Gmail (built and encoded for you). */
    send(message: EmailMessage): Promise<{ id: string; threadId: string }>;
  };
};

/** `raw` for `gmail.users.messages.send({ userId: "me", requestBody: { raw } })` or drafts: base64url RFC 2822. */
export declare function rawEmail(message: EmailMessage): string;

/** `message` says what to do. */
export declare class GoogleApiError extends Error {
  private constructor(init: never);
  /** 401: sign-in expired or revoked; 403 not allowed; 404 not found; 429 rate limit. */
  readonly status: number;
  /** e.g. "NOT_FOUND"; `reason` e.g. "notFound", "rateLimitExceeded". */
  readonly googleStatus: string; readonly reason?: string;
}
/** The email cannot be sent as is (no recipient, no body…). */
export declare class EmailInputError extends Error {
  constructor(message: string);
}
