// The Stripe client that runs inside an app's isolate: the official `stripe`
// SDK (its fetch-based worker build) calling https://api.stripe.com with no
// key. The egress proxy adds the owner's key and pins the API version outside
// the isolate. This file narrows the SDK to the declaration apps see
// (index.d.ts), keys every write, and turns failures into StripeError.
import Stripe from "stripe";
import { STRIPE_API_VERSION } from "./api-version";
import { generatedIdempotencyKey } from "./idempotency-key";
import type * as Api from "./index";
import { stripeError, StripeError, toStripeError } from "./stripe-error";

export { StripeError } from "./stripe-error";

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** Page size of listAll/searchAll: Stripe's maximum, so each outbound call brings the most. */
const PAGE_SIZE = 100;

/**
 * What Stripe sends when nothing is expanded: every field the SDK types as
 * "id or object" (`customer: string | Customer`) holds the id. This client
 * never sends `expand`, so its results have this type; the compiler then
 * checks index.d.ts against the SDK's own types field by field.
 */
type Unexpanded<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends readonly (infer Item)[]
    ? Unexpanded<Item>[]
    : { [K in keyof T]: string extends T[K] ? Unexpanded<Exclude<T[K], { id: string }>> : Unexpanded<T[K]> };

/** Awaits one SDK call; its failure becomes a StripeError. */
async function send<T>(call: Promise<T>): Promise<Unexpanded<T>> {
  try {
    return (await call) as Unexpanded<T>;
  } catch (error) {
    throw toStripeError(error);
  }
}

/** Walks every page of a list or search (the SDK follows `starting_after` / `next_page`). */
async function* walk<T>(start: () => AsyncIterable<T>): AsyncGenerator<Unexpanded<T>, void, undefined> {
  try {
    for await (const item of start()) yield item as Unexpanded<T>;
  } catch (error) {
    throw toStripeError(error);
  }
}

/** Every write carries an Idempotency-Key, so a retry (the SDK's or the app's) never acts twice. */
function keyed(options: Api.WriteOptions | undefined): Stripe.RequestOptions {
  return { idempotencyKey: options?.idempotencyKey ?? generatedIdempotencyKey() };
}

/** A deleted customer comes back as `{ id, deleted: true }`; to an app that is "no such customer". */
function existing<T extends { id: string; deleted?: unknown }>(object: T): Exclude<T, { deleted: true }> {
  if (object.deleted === true) {
    throw stripeError(404, "invalid_request_error", `No such customer: '${object.id}' (it was deleted)`, {
      code: "resource_missing",
      param: "id",
    });
  }
  return object as Exclude<T, { deleted: true }>;
}

/** A client sending through `options.fetch` (tests); apps use `stripe`. */
export function createStripeClient(options: { fetch?: Fetch } = {}): Api.StripeClient {
  const fetchFn: Fetch = options.fetch ?? ((input, init) => fetch(input, init));
  let instance: Stripe | undefined;
  // Built on first use, so `stripe` costs nothing at the app's module load (global scope).
  const sdk = (): Stripe =>
    (instance ??= new Stripe("", {
      apiVersion: STRIPE_API_VERSION,
      httpClient: Stripe.createFetchHttpClient(fetchFn),
      // No key inside the isolate: the egress proxy sets Authorization outside it.
      authenticator: async () => {},
      // One retry, with the same idempotency key; each attempt is an outbound call of the app.
      maxNetworkRetries: 1,
      telemetry: false,
    }));
  return {
    customers: {
      create: (params, options) => send(sdk().customers.create(params, keyed(options))),
      retrieve: async (id) => existing(await send(sdk().customers.retrieve(id))),
      update: (id, params, options) => send(sdk().customers.update(id, params, keyed(options))),
      list: (params) => send(sdk().customers.list(params)),
      listAll: (params) => walk(() => sdk().customers.list({ ...params, limit: PAGE_SIZE })),
      search: (params) => send(sdk().customers.search(params)),
      searchAll: (params) => walk(() => sdk().customers.search({ ...params, limit: PAGE_SIZE })),
    },
    products: {
      create: (params, options) => send(sdk().products.create(params, keyed(options))),
      retrieve: (id) => send(sdk().products.retrieve(id)),
      list: (params) => send(sdk().products.list(params)),
      listAll: (params) => walk(() => sdk().products.list({ ...params, limit: PAGE_SIZE })),
    },
    prices: {
      create: (params, options) => send(sdk().prices.create(params, keyed(options))),
      retrieve: (id) => send(sdk().prices.retrieve(id)),
      list: (params) => send(sdk().prices.list(params)),
      listAll: (params) => walk(() => sdk().prices.list({ ...params, limit: PAGE_SIZE })),
    },
    paymentLinks: {
      create: (params, options) => send(sdk().paymentLinks.create(params, keyed(options))),
    },
    checkout: {
      sessions: {
        create: (params, options) => send(sdk().checkout.sessions.create(params, keyed(options))),
        retrieve: (id) => send(sdk().checkout.sessions.retrieve(id)),
      },
    },
    subscriptions: {
      create: (params, options) => send(sdk().subscriptions.create(params, keyed(options))),
      retrieve: (id) => send(sdk().subscriptions.retrieve(id)),
      update: (id, params, options) => send(sdk().subscriptions.update(id, params, keyed(options))),
      // A DELETE: Stripe ignores idempotency keys there (cancelling twice is harmless), so none is sent.
      cancel: (id, params) => send(sdk().subscriptions.cancel(id, params)),
      list: (params) => send(sdk().subscriptions.list(params)),
      listAll: (params) => walk(() => sdk().subscriptions.list({ ...params, limit: PAGE_SIZE })),
    },
    invoices: {
      create: (params, options) => send(sdk().invoices.create(params, keyed(options))),
      finalizeInvoice: (id, params, options) => send(sdk().invoices.finalizeInvoice(id, params ?? {}, keyed(options))),
      retrieve: (id) => send(sdk().invoices.retrieve(id)),
      list: (params) => send(sdk().invoices.list(params)),
      listAll: (params) => walk(() => sdk().invoices.list({ ...params, limit: PAGE_SIZE })),
    },
    invoiceItems: {
      create: (params, options) => send(sdk().invoiceItems.create(params, keyed(options))),
    },
    refunds: {
      create: (params, options) => send(sdk().refunds.create(params, keyed(options))),
    },
  };
}

/** The app's client: `await stripe.customers.create({ email })`. */
export const stripe: Api.StripeClient = createStripeClient();

// What apps import matches index.d.ts (createStripeClient is for tests only).
({ stripe, StripeError }) satisfies typeof Api;
