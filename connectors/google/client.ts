// The Google client that runs inside an app's isolate: every method of Sheets v4, Calendar v3, Gmail v1 and Drive v3
// (api/methods.json, generated from Google's official @googleapis/* packages by scripts/build-google-api.mjs) sent
// with plain fetch to Google's real hosts, with no credential: the egress proxy adds the owner's OAuth access token
// outside the isolate. A call is what the official Node client sends (URL template, path parameters encoded, the
// other parameters as the query, `requestBody` as JSON, `media` as an upload) and resolves to the parsed answer.
import methodTable from "./api/methods.json";
import { GoogleApiError, type GoogleService, googleErrorFrom } from "./google-api-error";
import type * as Api from "./index";
import { buildMimeMessage, toBase64Url } from "./mime-message";

export { EmailInputError, GoogleApiError } from "./google-api-error";

/** The `fetch` a client uses (the isolate's, or a test's). */
export type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** How one generated method is sent (an entry of api/methods.json). */
export interface GoogleMethod {
  httpMethod: string;
  host: string;
  /** URL template, e.g. `/v4/spreadsheets/{spreadsheetId}/values/{range}:append`. */
  path: string;
  /** The template's parameters, in its order. */
  pathParams: string[];
  requestBody: boolean;
  /** Where `media` uploads go, for the methods that take one. */
  mediaPath?: string;
  /** Query parameters Google requires besides the path's. */
  requiredQuery?: string[];
}

/** Every method apps may call, by path without `google.` (`sheets.spreadsheets.values.append`). */
export const GOOGLE_METHODS: Readonly<Record<string, GoogleMethod>> = methodTable;

const SERVICES: Readonly<Record<string, GoogleService>> = {
  calendar: "Google Calendar",
  drive: "Google Drive",
  gmail: "Gmail",
  sheets: "Google Sheets",
};

type Params = Record<string, unknown> & {
  requestBody?: unknown;
  media?: { mimeType?: string; body?: string | Blob | ArrayBuffer | ArrayBufferView };
};

/** A path parameter as one segment: everything but RFC 3986's unreserved characters escaped, as url-template does. */
function segment(value: unknown): string {
  return encodeURIComponent(String(value)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function refused(path: string, problem: string, reason = "invalid"): GoogleApiError {
  return new GoogleApiError({
    status: 400,
    googleStatus: "INVALID_ARGUMENT",
    reason,
    message: `google.${path}: ${problem}. Nothing was sent to Google.`,
  });
}

/** The URL and request of one call, or a refusal before anything is sent. */
export function googleRequest(path: string, params: Params = {}): { url: string; init: RequestInit } {
  const method = GOOGLE_METHODS[path];
  if (method === undefined) throw new TypeError(`google.${path} is not a method of the Google APIs`);
  const { requestBody, media, ...rest } = params;
  // An empty path parameter would name another method's URL (`files/` is the list): refused as missing.
  const missing = [...method.pathParams, ...(method.requiredQuery ?? [])].filter(
    (name) => rest[name] == null || (method.pathParams.includes(name) && String(rest[name]) === ""),
  );
  if (missing.length > 0)
    throw refused(path, `missing required parameter${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`, "required");
  const upload = media?.body !== undefined;
  if (upload && method.mediaPath === undefined) throw refused(path, "this method takes no media upload");
  if (requestBody !== undefined && !method.requestBody) throw refused(path, "this method takes no requestBody");
  const template = upload ? (method.mediaPath as string) : method.path;
  const pathText = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = String(rest[name]);
    // "." and ".." would move the URL up the path: googleapis refuses them too.
    if (value === "." || value === "..") throw refused(path, `${name} may not be "${value}"`);
    return segment(value);
  });
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(rest)) {
    if (value == null || method.pathParams.includes(name)) continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, String(item));
  }
  const headers: Record<string, string> = {};
  let body: BodyInit | undefined;
  if (upload && media?.body !== undefined) {
    const fallback = typeof media.body === "string" ? "text/plain" : "application/octet-stream";
    const metadataType = (requestBody as { mimeType?: unknown } | undefined)?.mimeType;
    const type = media.mimeType ?? (typeof metadataType === "string" ? metadataType : fallback);
    if (requestBody === undefined) {
      query.set("uploadType", "media");
      headers["content-type"] = type;
      body = new Blob([media.body]);
    } else {
      const boundary = `kiln-${crypto.randomUUID()}`;
      query.set("uploadType", "multipart");
      headers["content-type"] = `multipart/related; boundary=${boundary}`;
      body = new Blob([
        `--${boundary}\r\ncontent-type: application/json; charset=UTF-8\r\n\r\n${JSON.stringify(requestBody)}\r\n`,
        `--${boundary}\r\ncontent-type: ${type}\r\n\r\n`,
        media.body,
        `\r\n--${boundary}--`,
      ]);
    }
  } else if (requestBody !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(requestBody);
  }
  // Spaces as %20, as the official client sends them (URLSearchParams writes "+").
  const search = query.toString().replace(/\+/g, "%20");
  return {
    url: `https://${method.host}${pathText}${search === "" ? "" : `?${search}`}`,
    init: { method: method.httpMethod, headers, body },
  };
}

/** Sends one call; resolves to the parsed JSON, the text of a download (`alt: "media"`), or undefined (204). */
async function call(fetchFn: Fetch, path: string, params?: Params): Promise<unknown> {
  const { url, init } = googleRequest(path, params);
  const service = SERVICES[path.split(".")[0] as string] ?? "Google Sheets";
  const response = await fetchFn(url, init);
  const text = await response.text();
  if (!response.ok) throw googleErrorFrom(response.status, text, service);
  if (text === "") return undefined;
  if (!(response.headers.get("content-type") ?? "").includes("json")) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GoogleApiError({
      status: response.status,
      googleStatus: "INVALID_RESPONSE",
      message: `${service} sent an answer that is not JSON (HTTP ${response.status}).`,
    });
  }
}

/** `raw` for Gmail's messages.send and drafts: the message as RFC 2822 text, base64url. */
export function rawEmail(message: Api.EmailMessage): string {
  return toBase64Url(buildMimeMessage(message));
}

type Tree = { [name: string]: Tree | ((...args: never[]) => Promise<unknown>) };

/** A client with its own `fetch` (tests); apps use `google`. */
export function createGoogleClient(options: { fetch?: Fetch } = {}): typeof Api.google {
  // Looked up per call, not captured, so the isolate's current fetch is always used.
  const fetchFn: Fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const root: Tree = {};
  for (const path of Object.keys(GOOGLE_METHODS)) {
    const names = path.split(".");
    let node = root;
    for (const name of names.slice(0, -1)) {
      if (!Object.hasOwn(node, name)) node[name] = {};
      node = node[name] as Tree;
    }
    node[names[names.length - 1] as string] = (params?: Params) => call(fetchFn, path, params);
  }
  const send = async (message: Api.EmailMessage) => {
    const requestBody = { raw: rawEmail(message) };
    const sent = (await call(fetchFn, "gmail.users.messages.send", { userId: "me", requestBody })) as {
      id?: string | null;
      threadId?: string | null;
    };
    return { id: sent.id ?? "", threadId: sent.threadId ?? "" };
  };
  (root.gmail as Tree).send = send;
  return root as unknown as typeof Api.google;
}

/** Ready to use: `await google.calendar.events.list({ calendarId: "primary", timeMin })`. */
export const google: typeof Api.google = createGoogleClient();

// Compile-time proof that this module is exactly what `index.d.ts` promises apps.
type Implements<Actual extends Declared, Declared> = Actual;
export type GoogleModuleCheck = Implements<typeof import("./client"), typeof import("./index")>;
