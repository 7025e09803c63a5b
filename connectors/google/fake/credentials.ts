// What the Google fake accepts. Pure constants: imported by the fake (Node),
// by workerd tests and by demo mode.

/** The OAuth client registered at the fake (a Google "Web application" client). */
export const GOOGLE_FAKE_CLIENT_ID = "1048576000000-kilnfakeclient0000000000000000.apps.googleusercontent.com";
/** That client's secret. */
export const GOOGLE_FAKE_CLIENT_SECRET = "GOCSPX-KilnFakeClientSecret000000";

/** The Google account that every authorization at the fake signs in as. */
export const GOOGLE_FAKE_USER = {
  sub: "110248495921238986420",
  email: "owner@kiln-fake.example",
  name: "Kiln Demo Owner",
  given_name: "Kiln",
  family_name: "Demo Owner",
  picture: "https://lh3.googleusercontent.com/a/kiln-fake-owner=s96-c",
} as const;

/**
 * A ready-made grant for tests that skip the flow: this access token never
 * expires on its own (only through the `/__fake/oauth/…` switches) and this
 * refresh token gets new access tokens. Both carry every scope in GOOGLE_FAKE_TOKEN_SCOPES.
 */
export const GOOGLE_FAKE_ACCESS_TOKEN = "ya29.a0KilnFakeReadyMadeAccessToken000000000000000000000000";
/** See GOOGLE_FAKE_ACCESS_TOKEN. */
export const GOOGLE_FAKE_REFRESH_TOKEN = "1//0gKilnFakeReadyMadeRefreshToken0000000000000000000000";

/** Scopes of the ready-made grant: Kiln's own (connectors/google/oauth.ts), as Google spells them in token answers. */
export const GOOGLE_FAKE_TOKEN_SCOPES: readonly string[] = [
  "openid",
  "https://www.googleapis.com/auth/userinfo.email",
  "https://www.googleapis.com/auth/calendar.events",
  "https://www.googleapis.com/auth/calendar.freebusy",
  "https://www.googleapis.com/auth/spreadsheets",
  "https://www.googleapis.com/auth/gmail.send",
  "https://www.googleapis.com/auth/drive.file",
  "https://www.googleapis.com/auth/drive.metadata.readonly",
];
