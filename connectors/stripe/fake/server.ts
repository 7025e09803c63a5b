// A loopback Stripe for tests and demo mode, run by Node. It speaks the real
// wire format (form-encoded params, list and search envelopes, error JSON,
// idempotency keys, bearer keys) for the operations the in-app client uses,
// and records every API request so tests can check what arrived.
//
// Control endpoints (no key needed):
//   GET    /__fake/requests                        every /v1 request received (RecordedRequest[])
//   DELETE /__fake/requests                        forget them
//   POST   /__fake/checkout/sessions/:id/complete  the buyer pays: completes the session (payment
//                                                  intent, charge and balance transaction, or
//                                                  subscription created), returns it
//   POST   /__fake/payments                        seeds past payments (JSON body; past-payments.ts)
//   GET    /__fake/invoices/sent?invoice=&customer= the invoice emails Stripe sent, oldest first (SentInvoice[])
//   ANY    /__fake/redirect?to=&status=&hops=      answers a 3xx with Location `to` (test-redirect.ts)
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { FakeUpstream, RecordedRequest } from "../../types.ts";
import { STRIPE_API_VERSION } from "../api-version.ts";
import { balanceTransactionRoutes } from "./balance-transactions.ts";
import { catalogRoutes } from "./catalog.ts";
import { chargeRoutes } from "./charges.ts";
import { checkoutRoutes } from "./checkout.ts";
import { completeCheckoutSession } from "./checkout-completion.ts";
import { FAKE_STRIPE_ACCOUNT_ID, FAKE_STRIPE_RESTRICTED_KEY, FAKE_STRIPE_SECRET_KEY } from "./credentials.ts";
import { customerRoutes } from "./customers.ts";
import { decodeForm, FormDecodingError, type FormHash } from "./form-decoding.ts";
import { IdempotencyLayer } from "./idempotency.ts";
import { invoiceItemRoutes } from "./invoice-items.ts";
import { invoicePaymentRoutes } from "./invoice-payments.ts";
import { invoiceStatusRoutes, sentInvoices } from "./invoice-status.ts";
import { invoiceRoutes } from "./invoices.ts";
import { Params } from "./params.ts";
import { seedPastPayments } from "./past-payments.ts";
import { paymentIntentRoutes } from "./payment-intents.ts";
import { paymentLinkRoutes } from "./payment-links.ts";
import { refundRoutes } from "./refunds.ts";
import { findRoute } from "./routing.ts";
import { emptyState, expand, newId, type FakeStripeState } from "./store.ts";
import { FakeStripeError, maskKey, unrecognizedUrl } from "./stripe-errors.ts";
import { subscriptionRoutes } from "./subscriptions.ts";
import { testRedirect } from "./test-redirect.ts";

// Each `/search` route is listed before its `/:id` sibling, so it wins.
const routes = [
  ...customerRoutes,
  ...catalogRoutes,
  ...paymentLinkRoutes,
  ...checkoutRoutes,
  ...subscriptionRoutes,
  ...invoiceRoutes,
  ...invoiceStatusRoutes,
  ...invoicePaymentRoutes,
  ...invoiceItemRoutes,
  ...paymentIntentRoutes,
  ...chargeRoutes,
  ...balanceTransactionRoutes,
  ...refundRoutes,
];

/** Endpoints a restricted key may not call, with the permission Stripe would name. */
const RESTRICTED_DENIED: Record<string, string> = { "GET /v1/balance": "rak_balance_read" };

interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body: JSON.stringify(value, null, 2), headers };
}

function errorReply(error: FakeStripeError): Reply {
  return json(error.status, { error: error.body });
}

/** The API key from `Authorization: Bearer sk_…` (or Basic with the key as user name, as curl -u sends). */
function apiKeyOf(header: string | undefined): string | null {
  if (header === undefined) return null;
  const [scheme = "", value = ""] = header.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === "bearer") return value;
  if (scheme.toLowerCase() === "basic") return (atob(value).split(":", 1)[0] ?? "") || null;
  return null;
}

function authenticate(header: string | undefined): { key: string } | FakeStripeError {
  const key = apiKeyOf(header);
  if (key === null || key === "") {
    return new FakeStripeError(401, {
      type: "invalid_request_error",
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    });
  }
  if (key !== FAKE_STRIPE_SECRET_KEY && key !== FAKE_STRIPE_RESTRICTED_KEY) {
    return new FakeStripeError(401, {
      type: "invalid_request_error",
      message: `Invalid API Key provided: ${maskKey(key)}`,
    });
  }
  return { key };
}

/** Answers one /v1 request the way Stripe would. */
function handleApi(state: FakeStripeState, idempotency: IdempotencyLayer, request: RecordedRequest): Reply {
  const auth = authenticate(request.headers.authorization);
  if (auth instanceof FakeStripeError) return errorReply(auth);
  const version = request.headers["stripe-version"];
  if (version !== undefined && !/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(version)) {
    return errorReply(
      new FakeStripeError(400, { type: "invalid_request_error", message: `Invalid Stripe API version: ${version}` }),
    );
  }
  const contentType = request.headers["content-type"] ?? "";
  if (request.body !== "" && !contentType.startsWith("application/x-www-form-urlencoded")) {
    return errorReply(
      new FakeStripeError(400, {
        type: "invalid_request_error",
        message: `Invalid request: unsupported Content-Type ${contentType}. If error persists and you need assistance, please contact support@stripe.com.`,
      }),
    );
  }
  const url = new URL(request.url, "http://fake.invalid");
  const found = findRoute(routes, request.method, url.pathname);
  if (found === undefined) return errorReply(unrecognizedUrl(request.method, url.pathname));
  const denied =
    auth.key === FAKE_STRIPE_RESTRICTED_KEY ? RESTRICTED_DENIED[`${request.method} ${url.pathname}`] : undefined;
  if (denied !== undefined) {
    return errorReply(
      new FakeStripeError(403, {
        type: "invalid_request_error",
        message: `The provided key '${maskKey(auth.key)}' does not have the required permissions for this endpoint on account '${FAKE_STRIPE_ACCOUNT_ID}'. Having the '${denied}' permission would allow this request to continue.`,
      }),
    );
  }
  let values: FormHash;
  try {
    values = { ...decodeForm(url.search.slice(1)), ...decodeForm(request.body) };
  } catch (error) {
    if (!(error instanceof FormDecodingError)) throw error;
    return errorReply(
      new FakeStripeError(400, {
        type: "invalid_request_error",
        code: "parameter_unknown",
        message: error.message,
        param: error.key,
      }),
    );
  }
  // Stripe keys POSTs only; on GET and DELETE the header has no effect.
  const idempotencyKey = request.method === "POST" ? request.headers["idempotency-key"] : undefined;
  const echo: Record<string, string> = idempotencyKey === undefined ? {} : { "idempotency-key": idempotencyKey };
  try {
    if (idempotencyKey !== undefined) {
      const decision = idempotency.check(auth.key, idempotencyKey, request.method, url.pathname, values);
      if (decision.kind === "replay")
        return { ...decision.response, headers: { ...echo, "idempotent-replayed": "true" } };
    }
  } catch (error) {
    if (error instanceof FakeStripeError) return errorReply(error);
    throw error;
  }
  const reply = runRoute(state, found.route, found.ids, values);
  // Stripe saves a result once the endpoint started; requests refused by validation are not saved.
  if (idempotencyKey !== undefined && (reply.status < 400 || reply.status >= 500)) {
    idempotency.save(auth.key, idempotencyKey, request.method, url.pathname, values, {
      status: reply.status,
      body: reply.body,
    });
  }
  return { ...reply, headers: { ...reply.headers, ...echo } };
}

function runRoute(state: FakeStripeState, route: (typeof routes)[number], ids: string[], values: FormHash): Reply {
  try {
    const params = new Params(values);
    const expandPaths = params.stringList("expand") ?? [];
    const result = route.handle({ state, params, ids, expand: expandPaths });
    return json(200, expand(state, result, expandPaths));
  } catch (error) {
    if (error instanceof FakeStripeError) return errorReply(error);
    const message = error instanceof Error ? error.message : String(error);
    return json(500, { error: { type: "api_error", message: `The fake Stripe failed: ${message}` } });
  }
}

function handleControl(
  state: FakeStripeState,
  recorded: RecordedRequest[],
  method: string,
  path: string,
  query: URLSearchParams,
  body: string,
): Reply {
  if (path === "/__fake/requests" && method === "GET") return json(200, recorded);
  if (path === "/__fake/invoices/sent" && method === "GET") return json(200, sentInvoices(state, query));
  if (path === "/__fake/redirect") {
    const redirect = testRedirect(query);
    if ("error" in redirect)
      return json(400, { error: { type: "invalid_request_error", message: `fake redirect: ${redirect.error}` } });
    return { status: redirect.status, body: "", headers: { location: redirect.location } };
  }
  if (path === "/__fake/requests" && method === "DELETE") {
    recorded.length = 0;
    return { status: 204, body: "" };
  }
  if (path === "/__fake/payments" && method === "POST") {
    const seeded = seedPastPayments(state, body);
    if ("error" in seeded)
      return json(400, { error: { type: "invalid_request_error", message: `fake payments: ${seeded.error}` } });
    return json(200, seeded);
  }
  const complete = /^\/__fake\/checkout\/sessions\/([^/]+)\/complete$/.exec(path);
  if (complete !== null && method === "POST") {
    try {
      return json(200, completeCheckoutSession(state, decodeURIComponent(complete[1] ?? "")));
    } catch (error) {
      if (error instanceof FakeStripeError) return errorReply(error);
      throw error;
    }
  }
  return json(404, { error: { type: "invalid_request_error", message: `No fake control endpoint ${method} ${path}` } });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function flatHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

/** Starts the fake on 127.0.0.1 (`port` 0 or absent: a free port). */
export async function startFake(options: { port?: number } = {}): Promise<FakeUpstream> {
  const state = emptyState();
  const idempotency = new IdempotencyLayer();
  const recorded: RecordedRequest[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const entry: RecordedRequest = {
        method: request.method ?? "GET",
        url: request.url ?? "/",
        headers: flatHeaders(request),
        body: await readBody(request),
      };
      const path = entry.url.split("?", 1)[0] ?? "/";
      let reply: Reply;
      if (path.startsWith("/__fake/")) {
        reply = handleControl(
          state,
          recorded,
          entry.method,
          path,
          new URL(entry.url, "http://fake.invalid").searchParams,
          entry.body,
        );
      } else {
        recorded.push(entry);
        reply = handleApi(state, idempotency, entry);
        reply.headers = { ...reply.headers, "stripe-version": entry.headers["stripe-version"] ?? STRIPE_API_VERSION };
      }
      response.writeHead(reply.status, {
        "content-type": "application/json",
        "request-id": newId("req", 14),
        ...reply.headers,
      });
      response.end(reply.body);
    })().catch((error: unknown) => {
      response.writeHead(500, { "content-type": "application/json" });
      response.end(
        JSON.stringify({ error: { type: "api_error", message: `The fake Stripe failed: ${String(error)}` } }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    vars: { STRIPE_API_BASE: url },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
