import type { ConnectorRule } from "../types";

/**
 * Google: every host the generated client (api/methods.json) calls, one OAuth
 * access token for all: www.googleapis.com (Calendar `/calendar/v3`, Drive
 * `/drive/v3` and its uploads `/upload/drive/v3`), sheets.googleapis.com
 * (`/v4/spreadsheets`) and gmail.googleapis.com (`/gmail/v1`, uploads
 * `/upload/gmail/v1`); google.test.ts checks that the table names no other.
 * The check reads `/oauth2/v3/userinfo`: it works with the
 * `openid email` scopes Kiln always requests (Google never lets an owner untick
 * those, unlike the Calendar/Sheets/Gmail ones) and names the connected account.
 */
export const googleRule: ConnectorRule = {
  id: "google",
  label: "Google",
  kind: "oauth2",
  hosts: ["www.googleapis.com", "sheets.googleapis.com", "gmail.googleapis.com"],
  upstreamVar: "GOOGLE_API_BASE",
  inject: { header: "authorization", scheme: "Bearer" },
  check: { method: "GET", host: "www.googleapis.com", path: "/oauth2/v3/userinfo" },
};
