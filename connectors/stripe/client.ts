// The Stripe client that runs inside an app's isolate: the official `stripe`
// SDK (its fetch-based worker build) calling https://api.stripe.com with no
// key. The egress proxy adds the owner's key and pins the API version outside
// the isolate. Every resource and method of the SDK is there (index.d.ts types
// them with the SDK's own declarations); this file keys every write and turns
// failures into StripeError.
import Stripe from "stripe";
import { STRIPE_API_VERSION } from "./api-version";
import { generatedIdempotencyKey, STRIPE_GENERATED_KEY_PREFIX } from "./idempotency-key";
import type * as Api from "./index";
import { StripeError, toStripeError } from "./stripe-error";

export { StripeError } from "./stripe-error";

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

// The SDK's own key for a POST it may retry; ours replaces it with the same suffix, so its retry keeps the key.
const SDK_RETRY_KEY_PREFIX = "stripe-node-retry-";

/**
 * Every POST leaves with an Idempotency-Key, so a retry (the SDK's or the app's) never acts twice. A key the app
 * chose stays; one the SDK made up is marked as Kiln's, which the egress proxy swaps for an automation run's key.
 */
function keyingFetch(fetchFn: Fetch): Fetch {
  return (input, init) => {
    if ((init?.method ?? "GET").toUpperCase() !== "POST") return fetchFn(input, init);
    const headers = new Headers(init?.headers);
    const key = headers.get("idempotency-key");
    if (key === null) headers.set("idempotency-key", generatedIdempotencyKey());
    else if (key.startsWith(SDK_RETRY_KEY_PREFIX))
      headers.set("idempotency-key", `${STRIPE_GENERATED_KEY_PREFIX}${key.slice(SDK_RETRY_KEY_PREFIX.length)}`);
    return fetchFn(input, { ...init, headers });
  };
}

const converted = (error: unknown): never => {
  throw toStripeError(error);
};

/**
 * A call's result with its failures as StripeError: a plain promise, or a list whose pages are both awaitable and
 * iterable (`for await`). The list's first page is requested once, by the SDK, whichever way the app reads it.
 */
function guarded(result: unknown): unknown {
  if (typeof result !== "object" || result === null || typeof (result as PromiseLike<unknown>).then !== "function")
    return result;
  const promise = Promise.resolve(result as PromiseLike<unknown>).then((value) => value, converted);
  // An app that only iterates never awaits the promise: its rejection must not count as unhandled.
  promise.catch(() => {});
  const pages = result as Partial<AsyncIterable<unknown>> & {
    autoPagingEach?: (handler: (item: unknown) => unknown) => Promise<void>;
    autoPagingToArray?: (options: { limit: number }) => Promise<unknown[]>;
  };
  const iterate = pages[Symbol.asyncIterator];
  if (typeof iterate !== "function") return promise;
  return Object.assign(promise, {
    [Symbol.asyncIterator]: () => {
      const iterator = iterate.call(pages);
      return {
        next: () => iterator.next().then((step) => step, converted),
        return: (value?: unknown) => iterator.return?.(value) ?? Promise.resolve({ done: true, value }),
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    },
    autoPagingEach: (handler: (item: unknown) => unknown) => pages.autoPagingEach?.(handler).catch(converted),
    autoPagingToArray: (options: { limit: number }) => pages.autoPagingToArray?.(options).catch(converted),
  });
}

/** A view of an SDK namespace or resource whose methods answer through `guarded`. */
function guardedView(target: object): object {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value === "function")
        return (...args: unknown[]) => {
          try {
            return guarded(value.apply(object, args));
          } catch (error) {
            throw toStripeError(error);
          }
        };
      if (typeof value === "object" && value !== null && typeof property === "string" && !property.startsWith("_"))
        return guardedView(value);
      return value;
    },
  });
}

/** A client sending through `options.fetch` (tests); apps use `stripe`. */
export function createStripeClient(options: { fetch?: Fetch } = {}): Api.StripeApi {
  const fetchFn: Fetch = options.fetch ?? ((input, init) => fetch(input, init));
  let instance: object | undefined;
  // Built on first use, so `stripe` costs nothing at the app's module load (global scope).
  const sdk = (): object =>
    (instance ??= guardedView(
      new Stripe("", {
        apiVersion: STRIPE_API_VERSION,
        httpClient: Stripe.createFetchHttpClient(keyingFetch(fetchFn)),
        // No key inside the isolate: the egress proxy sets Authorization outside it.
        authenticator: async () => {},
        // One retry, with the same idempotency key; each attempt is an outbound call of the app.
        maxNetworkRetries: 1,
        telemetry: false,
      }),
    ));
  return new Proxy({} as Api.StripeApi, {
    get: (_, property) => Reflect.get(sdk(), property),
  });
}

/** The app's client: `await stripe.customers.create({ email })`. */
export const stripe: Api.StripeApi = createStripeClient();

// What apps import matches index.d.ts (createStripeClient is for tests only).
({ stripe, StripeError }) satisfies Pick<typeof Api, "stripe" | "StripeError">;
