// The official Stripe SDK's client and types (v1), the owner's key added outside the app. Amounts in the smallest
// unit (1999 = $19.99), times in Unix seconds. Expandable fields are `string | Object`: an id unless you `expand`.
import type { StripeApi } from "./api/client";

export type * from "./api/client";

/**
 * `await stripe.customers.create({ email })`; lists page with `for await (const c of stripe.charges.list({ limit: 100 }))`.
 * Every write is sent with an idempotency key (pass your own as `{ idempotencyKey }` to make a retry a no-op).
 */
export declare const stripe: StripeApi;

export type StripeErrorType = "invalid_request_error" | "card_error" | "idempotency_error" | "api_error" | "authentication_error" | "permission_error" | "rate_limit_error" | "connection_error";
/** `message` says what to do; `status` 0: not reached; `code` e.g. "resource_missing". */
export declare class StripeError extends Error {
  private constructor(init: never);
  readonly type: StripeErrorType; readonly status: number; readonly code: string | null;
  readonly param: string | null; readonly stripeMessage: string; readonly requestId: string | null;
}

type OrNewer<T extends string> = T | (string & {});
/** Export `onStripeEvent(event: StripeEvent, env)` from the entry file to get verified events once; throw to retry. */
export interface StripeEvent {
  id: string; created: number;
  type: OrNewer<"checkout.session.completed" | "invoice.paid" | "invoice.payment_failed" | "customer.subscription.deleted">;
  data: { object: { id: string; object: string; [field: string]: unknown } };
}
