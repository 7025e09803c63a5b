// Every header Kiln itself reads or writes, named once. Visitors may send none of them: the front door and the
// runner strip anything starting with KILN_HEADER_PREFIX before app code or Kiln's own checks see a request.

/** The prefix all of Kiln's own headers share; a visitor's headers with it are dropped. */
export const KILN_HEADER_PREFIX = "x-kiln-";

/** The id a request carries from the socket to the app, its logs, its outbound calls and the runner's marks. */
export const REQUEST_ID_HEADER = "x-kiln-request-id";

/** Makes a request to an app's isolate an event from Kiln (an automation run, a Stripe event, a tool call), not a visit. */
export const INVOKE_HEADER = "x-kiln-invoke";

/** On an outbound call made inside an automation run: `<run key>:<n>`, turned into the connector's idempotency key. */
export const IDEMPOTENCY_HEADER = "x-kiln-idempotency-key";

/** The MCP protocol version a client speaks after `initialize` (MCP Streamable HTTP); Kiln's `/mcp` checks it. */
export const MCP_PROTOCOL_HEADER = "mcp-protocol-version";

/** The signed-in visitor (JSON: email, roles) the gate hands to app code. */
export const VISITOR_HEADER = "x-kiln-visitor";

/** With it the front door proves (a secret only it and the runners hold) that it set the request id. */
export const FRONT_HEADER = "x-kiln-front";

/** The local supervisor's proof on `/api/internal/*` (KILN_INTERNAL_SECRET). */
export const INTERNAL_SECRET_HEADER = "x-kiln-internal-secret";
