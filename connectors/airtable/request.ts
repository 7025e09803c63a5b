// The HTTP layer of the in-app Airtable client: one JSON request to
// https://api.airtable.com/v0, with no token (the egress proxy adds it outside).
import { AirtableError, airtableErrorFrom } from "./airtable-error";

/** The `fetch` the client sends with: the isolate's, or a test's own. */
export type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** Where every Airtable Web API path starts. */
export const API = "https://api.airtable.com/v0";

/** Ids and names go into paths escaped, as Airtable expects them. */
export const enc = encodeURIComponent;

/** Sends one request and parses Airtable's JSON answer, or throws AirtableError. */
export async function call<T>(
  fetchFn: Fetch,
  method: string,
  path: string,
  query?: URLSearchParams,
  body?: unknown,
): Promise<T> {
  const search = query && query.toString() !== "" ? `?${query}` : "";
  const response = await fetchFn(`${API}${path}${search}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw airtableErrorFrom(response.status, text);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new AirtableError({
      status: response.status,
      type: "INVALID_RESPONSE",
      message: `Airtable sent an answer that is not JSON (HTTP ${response.status}).`,
    });
  }
}

/** Airtable refused because the thing is not there (or not visible to the token). */
export const isMissing = (error: unknown): error is AirtableError =>
  error instanceof AirtableError && (error.status === 403 || error.status === 404);

/** Airtable refused with this error type (e.g. a "duplicate" refusal that `ensure` takes as "already there"). */
export const isType = (error: unknown, type: string): error is AirtableError =>
  error instanceof AirtableError && error.type === type;
