// The loopback fake of Google (tests and demo mode), run by Node. One server
// plays every host Kiln talks to, told apart by path:
//   accounts.google.com   /o/oauth2/v2/auth
//   oauth2.googleapis.com /token, /revoke
//   www.googleapis.com    /oauth2/v3/userinfo, /calendar/v3/…, /drive/v3/…
//   sheets.googleapis.com /v4/spreadsheets…
//   gmail.googleapis.com  /gmail/v1/…
// Test switches (`/__fake/…`) are listed in ../README.md.
import type { FakeUpstream } from "../../types.ts";
import { CalendarStore } from "./calendar.ts";
import { DriveStore } from "./drive.ts";
import { GoogleFakeError, apiError } from "./errors.ts";
import { GmailOutbox } from "./gmail.ts";
import { html, json, listen, type FakeRequest, type FakeResponse } from "../../testing/fake-http.ts";
import { OAuthServer } from "./oauth.ts";
import { type SheetSeed, SheetsStore } from "./sheets.ts";

interface State {
  oauth: OAuthServer;
  calendar: CalendarStore;
  drive: DriveStore;
  sheets: SheetsStore;
  gmail: GmailOutbox;
}

function freshState(): State {
  const drive = new DriveStore();
  return {
    oauth: new OAuthServer(),
    calendar: new CalendarStore(),
    drive,
    sheets: new SheetsStore(drive),
    gmail: new GmailOutbox(),
  };
}

function controlBody(request: FakeRequest): Record<string, unknown> {
  try {
    const body = JSON.parse(request.body || "{}") as unknown;
    return typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function route(state: State, request: FakeRequest): FakeResponse {
  const path = request.url.pathname;
  const method = request.method;
  if (path === "/o/oauth2/v2/auth" && method === "GET") return state.oauth.authorize(request.url.searchParams);
  if (path === "/token" && method === "POST") return state.oauth.token(request);
  if (path === "/revoke" && method === "POST") return state.oauth.revoke(request);
  if (path === "/oauth2/v3/userinfo" && (method === "GET" || method === "POST")) return state.oauth.userinfo(request);

  if (path.startsWith("/upload/")) {
    state.oauth.authenticate(request);
    throw apiError(400, "The Google fake does not simulate media uploads; send metadata only.");
  }
  const api = path.startsWith("/calendar/v3/")
    ? state.calendar
    : path === "/v4/spreadsheets" || path.startsWith("/v4/spreadsheets/")
      ? state.sheets
      : path.startsWith("/gmail/v1/")
        ? state.gmail
        : path.startsWith("/drive/v3/")
          ? state.drive
          : undefined;
  if (!api)
    return html(
      404,
      "<!doctype html><title>Error 404 (Not Found)</title><p>The requested URL was not found on this server.</p>",
    );
  const token = state.oauth.authenticate(request);
  try {
    return api.handle(request, token);
  } catch (error) {
    if (error instanceof SyntaxError) throw apiError(400, `Invalid JSON payload received. ${error.message}`);
    throw error;
  }
}

/** Starts the Google fake on 127.0.0.1 (port 0: a free port). */
export async function startFake(options: { port?: number } = {}): Promise<FakeUpstream> {
  let state = freshState();
  const handle = (request: FakeRequest): FakeResponse => {
    const path = request.url.pathname;
    if (path === "/__fake/reset" && request.method === "POST") {
      state = freshState();
      return { status: 204 };
    }
    if (path === "/__fake/gmail/sent") {
      if (request.method === "DELETE") state.gmail.sent.length = 0;
      return request.method === "DELETE" ? { status: 204 } : json(200, state.gmail.sent);
    }
    if (path === "/__fake/sheets/spreadsheets" && request.method === "POST") {
      // A spreadsheet the owner made in Google's own pages: in Drive, but not created by the app.
      const body = controlBody(request) as { title?: unknown; sheets?: unknown };
      if (typeof body.title !== "string") return json(400, { error: "give the spreadsheet's title" });
      return json(
        200,
        state.sheets.createByOwner(body.title, Array.isArray(body.sheets) ? (body.sheets as SheetSeed[]) : []),
      );
    }
    if (path.startsWith("/__fake/oauth/") && request.method === "POST") {
      const answer = state.oauth.control(path, controlBody(request));
      if (answer) return answer;
    }
    if (path.startsWith("/__fake/")) return json(404, { error: "unknown fake control route" });
    try {
      return route(state, request);
    } catch (error) {
      if (error instanceof GoogleFakeError) return error.response;
      throw error;
    }
  };
  const server = await listen(handle, {
    port: options.port,
    serverError: (error) => json(500, { error: { code: 500, message: String(error), status: "INTERNAL" } }),
  });
  return { url: server.url, vars: { GOOGLE_API_BASE: server.url, GOOGLE_OAUTH_BASE: server.url }, close: server.close };
}
