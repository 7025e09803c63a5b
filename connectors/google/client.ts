// The Google client that runs inside an app's isolate: Calendar, Sheets and
// Gmail over plain fetch to Google's real hosts, with no credential (the
// egress proxy adds the owner's OAuth access token outside the isolate).
import { calendarClient } from "./calendar";
import { gmailClient } from "./gmail";
import type { Fetch } from "./google-request";
import type * as Api from "./index";
import { sheetsClient } from "./sheets";

export { EmailInputError, GoogleApiError } from "./google-api-error";

/** A client with its own `fetch` (tests); apps use `google`. */
export function createGoogleClient(options: { fetch?: typeof fetch } = {}): Api.GoogleClient {
  // Looked up per call, not captured, so the isolate's current fetch is always used.
  const fetchFn: Fetch = options.fetch ?? ((input, init) => fetch(input, init));
  return { calendar: calendarClient(fetchFn), sheets: sheetsClient(fetchFn), gmail: gmailClient(fetchFn) };
}

/** Ready to use: `google.calendar.listEvents({ timeMin })`. */
export const google: Api.GoogleClient = createGoogleClient();

// Compile-time proof that this module is exactly what `index.d.ts` promises apps.
type Implements<Actual extends Declared, Declared> = Actual;
export type GoogleModuleCheck = Implements<typeof import("./client"), typeof import("./index")>;
