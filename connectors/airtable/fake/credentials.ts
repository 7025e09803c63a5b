// Credentials the Airtable fake accepts. Pure constants: imported by the fake
// (Node), by workerd tests and by demo mode.

/** The personal access token the fake accepts; any other token gets Airtable's 401. */
export const AIRTABLE_FAKE_TOKEN =
  "patKilnFakeDemo01.5e3c1f0a9b8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f";

/** The user that token belongs to, as `GET /v0/meta/whoami` reports it. */
export const AIRTABLE_FAKE_USER_ID = "usrKilnFakeUser01";

/** That user's name and email, as record comments show their author. */
export const AIRTABLE_FAKE_USER = {
  id: AIRTABLE_FAKE_USER_ID,
  email: "owner@kiln-demo.example",
  name: "Kiln Demo Owner",
};

/** Scopes of that token, as `GET /v0/meta/whoami` reports them. */
export const AIRTABLE_FAKE_SCOPES: readonly string[] = [
  "data.records:read",
  "data.records:write",
  "data.recordComments:read",
  "data.recordComments:write",
  "schema.bases:read",
  "schema.bases:write",
];
