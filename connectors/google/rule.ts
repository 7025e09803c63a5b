import type { ConnectorRule } from "../types";

/**
 * Google: Calendar (www.googleapis.com/calendar/v3), Sheets and Gmail, one OAuth
 * access token for all. The check reads `/oauth2/v3/userinfo`: it works with the
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
