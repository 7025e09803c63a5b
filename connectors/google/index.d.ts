// The whole Google Sheets v4, Calendar v3, Gmail v1 and Drive v3 APIs, typed from Google's official @googleapis/*
// types (generated into ./api by scripts/build-google-api.mjs): `google` is shaped like the official Node client
// (`google.sheets.spreadsheets.values.append({ spreadsheetId, range, valueInputOption, requestBody })`), signed in as
// the owner outside the app, and each call resolves to the data itself (no `.data`). Times are RFC 3339.
import type { Gmail, GoogleApi } from "./api/client";

export type * from "./api/client";

/** Give `text`, `html` or both; `from` must be a Gmail "send as" alias. */
export interface EmailMessage { to: string | string[]; cc?: string | string[]; bcc?: string | string[]; subject: string; text?: string; html?: string; replyTo?: string; from?: string }

/**
 * calendarId "primary" and userId "me" are the owner's. Lists return one page: pass `nextPageToken` back as
 * `pageToken` until it is absent. Sheets writes need `valueInputOption: "USER_ENTERED"` (as typed) or "RAW".
 * A spreadsheet by name: `google.drive.files.list({ q: "name = 'Orders' and mimeType = 'application/vnd.google-apps.spreadsheet' and trashed = false", fields: "files(id, name)" })`.
 * Uploads take `media: { mimeType, body }`; downloads (`alt: "media"`, `files.export`) resolve to the content as text.
 * Types: `Sheets.ValueRange`, `Calendar.Event`, `Drive.File` (the official `calendar_v3.Schema$Event` works too).
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
