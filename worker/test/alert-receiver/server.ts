// A loopback receiver of alert webhooks for the tests: it answers 200 to any POST under /hooks/ (and 500 under
// /broken/, so a test can see a failed delivery recorded) and keeps every request for the tests inside workerd
// (`GET /__fake/requests`). Runs in Node (type stripping), so erasable TypeScript only.
import { listen } from "../../../connectors/testing/fake-http.ts";

/** Starts the receiver on a free loopback port: var TEST_ALERT_RECEIVER (its base URL). */
export async function startAlertReceiver(): Promise<{ vars: Record<string, string>; close(): Promise<void> }> {
  const server = await listen(
    (request) => {
      if (request.method === "POST" && request.url.pathname.startsWith("/hooks/")) return { status: 200, body: "ok" };
      if (request.url.pathname.startsWith("/broken/")) return { status: 500, body: "receiver down" };
      return { status: 404, body: "no such hook" };
    },
    { serverError: () => ({ status: 500 }) },
  );
  return { vars: { TEST_ALERT_RECEIVER: server.url }, close: () => server.close() };
}
