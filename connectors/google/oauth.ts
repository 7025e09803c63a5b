// How Kiln's control plane gets a Google credential for an owner: the OAuth 2.0
// authorization-code flow with PKCE against these endpoints. Pure data.

/**
 * Scopes Kiln asks for. `openid email` make the connection's check call
 * (`/oauth2/v3/userinfo`) work and show the owner which account is connected;
 * the others cover exactly the operations in `index.d.ts`.
 */
export const GOOGLE_SCOPES: readonly string[] = [
  "openid",
  "email",
  "https://www.googleapis.com/auth/calendar.events",
  "https://www.googleapis.com/auth/calendar.freebusy",
  "https://www.googleapis.com/auth/spreadsheets",
  "https://www.googleapis.com/auth/gmail.send",
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
