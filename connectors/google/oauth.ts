// How Kiln's control plane gets a Google credential for an owner: the OAuth 2.0
// authorization-code flow with PKCE against these endpoints. Pure data.

/**
 * Scopes Kiln asks for. `openid email` make the connection's check call
 * (`/oauth2/v3/userinfo`) work and show the owner which account is connected.
 * The others cover what apps do with the whole APIs in `index.d.ts`: events and
 * free/busy (not calendar settings or sharing), every spreadsheet, sending mail
 * (not reading the mailbox), and for Drive the narrowest pair that finds and
 * creates spreadsheets by name: `drive.file` creates files and changes only the
 * ones the app created (Google's recommended, non-sensitive scope), but sees no
 * other file, so finding the owner's existing "Budget" spreadsheet by name needs
 * `drive.metadata.readonly` (names and properties of every file, never content,
 * never a change). Full `drive` would let an app read, change or delete every
 * file; note that Google lists drive.metadata.readonly as restricted, so a
 * production OAuth client with it needs Google's verification.
 */
export const GOOGLE_SCOPES: readonly string[] = [
  "openid",
  "email",
  "https://www.googleapis.com/auth/calendar.events",
  "https://www.googleapis.com/auth/calendar.freebusy",
  "https://www.googleapis.com/auth/spreadsheets",
  "https://www.googleapis.com/auth/gmail.send",
  "https://www.googleapis.com/auth/drive.file",
  "https://www.googleapis.com/auth/drive.metadata.readonly",
];

/** Google's OAuth endpoints; `GOOGLE_OAUTH_BASE` replaces their origin (path kept), as the fake expects. */
export const googleOAuthEndpoints = {
  authorization: "https://accounts.google.com/o/oauth2/v2/auth",
  token: "https://oauth2.googleapis.com/token",
  revoke: "https://oauth2.googleapis.com/revoke",
  baseVar: "GOOGLE_OAUTH_BASE",
} as const;

/**
 * Extra authorization parameters: `access_type=offline` to get a refresh token,
 * `prompt=consent` so Google sends one again when an owner reconnects.
 */
export const googleAuthorizationParams: Readonly<Record<string, string>> = {
  access_type: "offline",
  prompt: "consent",
  include_granted_scopes: "true",
};
