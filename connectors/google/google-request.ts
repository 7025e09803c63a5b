// One call to a Google API from inside the app isolate: JSON in, JSON out,
// failures as GoogleApiError. No credential: the egress proxy adds it.
import { GoogleApiError, googleErrorFrom } from "./google-api-error";

/** The `fetch` a client uses (the isolate's, or a test's). */
export type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** Which product a call belongs to, for error messages ("Google Calendar"). */
export type GoogleService = "Google Calendar" | "Google Sheets" | "Gmail";

/** Sends one request; resolves to the parsed JSON (undefined for an empty answer such as 204). */
export async function callGoogle<T>(
  fetchFn: Fetch,
  service: GoogleService,
  method: string,
  url: string,
  body?: unknown,
): Promise<T> {
  const response = await fetchFn(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw googleErrorFrom(response.status, text, service);
  if (text === "") return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new GoogleApiError({
      status: response.status,
      googleStatus: "INVALID_RESPONSE",
      message: `${service} sent an answer that is not JSON (HTTP ${response.status}).`,
    });
  }
}

/** `?a=1&b=2` from the defined entries, or "" when there are none. */
export function queryString(params: Record<string, string | number | boolean | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value));
  const text = query.toString();
  return text === "" ? "" : `?${text}`;
}
