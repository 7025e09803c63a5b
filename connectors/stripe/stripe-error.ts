// Stripe's failures, turned into one typed error whose message a person can
// act on. Stripe answers `{ error: { type, code, message, param } }`; the SDK
// parses that into its own error classes, which are read here.
import Stripe from "stripe";
import type { StripeErrorType } from "./index";

/** Stripe refused or failed a call; `message` says what happened and what to do. */
export class StripeError extends Error {
  readonly type: StripeErrorType;
  /** HTTP status from Stripe; 0 when Stripe could not be reached. */
  readonly status: number;
  /** Stripe's error code, e.g. "resource_missing", "parameter_missing", "card_declined". */
  readonly code: string | null;
  /** The parameter Stripe blamed, e.g. "email". */
  readonly param: string | null;
  /** Stripe's own message, unchanged. */
  readonly stripeMessage: string;
  /** Stripe's request id ("req_…"), for Stripe support. */
  readonly requestId: string | null;

  constructor(init: {
    type: StripeErrorType;
    status: number;
    message: string;
    stripeMessage: string;
    code?: string | null;
    param?: string | null;
    requestId?: string | null;
  }) {
    super(init.message);
    this.name = "StripeError";
    this.type = init.type;
    this.status = init.status;
    this.stripeMessage = init.stripeMessage;
    this.code = init.code ?? null;
    this.param = init.param ?? null;
    this.requestId = init.requestId ?? null;
  }
}

/** The kind of failure, from the HTTP status first (as Stripe documents it), then Stripe's `type`. */
function kindOf(status: number, rawType: string | undefined): StripeErrorType {
  if (status === 0) return "connection_error";
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 429) return "rate_limit_error";
  if (rawType === "card_error" || rawType === "idempotency_error" || rawType === "invalid_request_error")
    return rawType;
  return "api_error";
}

/** What to tell a person for each kind of failure; Stripe's own words follow. */
function advice(type: StripeErrorType, code: string | null, param: string | null): string {
  switch (type) {
    case "authentication_error":
      return "Stripe did not accept the connected key. The app owner should reconnect Stripe in Kiln with a valid secret key (sk_…) or restricted key (rk_…).";
    case "permission_error":
      return "The connected Stripe key is not allowed to do this. The app owner can give the restricted key this permission in the Stripe dashboard (Developers → API keys), or connect a key that has it.";
    case "rate_limit_error":
      return "Stripe is receiving too many requests for this account right now. Wait a moment and try again.";
    case "connection_error":
      return "Stripe could not be reached. Try again in a moment.";
    case "card_error":
      return "The card was declined or could not be charged; the buyer should use another card.";
    case "idempotency_error":
      return "This idempotency key was already used for a different request; use a new key for a new request.";
    case "api_error":
      return "Stripe had a problem on its side. Try again in a moment.";
    case "invalid_request_error":
      if (code === "resource_missing") return "Stripe has no such object; check the id.";
      return param === null ? "Stripe refused the request." : `Stripe refused the request because of \`${param}\`.`;
  }
}

/** Builds the typed error from its parts (also used for answers the SDK could not parse). */
export function stripeError(
  status: number,
  rawType: string | undefined,
  stripeMessage: string,
  extra: { code?: string | null; param?: string | null; requestId?: string | null } = {},
): StripeError {
  const type = kindOf(status, rawType);
  const code = extra.code ?? null;
  const param = extra.param ?? null;
  const message = `${advice(type, code, param)} (Stripe${status === 0 ? "" : ` ${status}`}: ${stripeMessage})`;
  return new StripeError({ type, status, message, stripeMessage, code, param, requestId: extra.requestId ?? null });
}

/** Converts whatever a Stripe call threw into a StripeError; other errors pass through. */
export function toStripeError(error: unknown): unknown {
  if (error instanceof StripeError || !(error instanceof Stripe.errors.StripeError)) return error;
  if (error.type === "StripeConnectionError" || error.statusCode === undefined) {
    const detail =
      error.detail instanceof Error ? error.detail.message : typeof error.detail === "string" ? error.detail : "";
    if (detail === "") return stripeError(0, undefined, error.message);
    // In an app the cause is Kiln's egress refusing the call, already in plain words ("Stripe is
    // not connected: …", "too many calls to Stripe: …"); "try again in a moment" would mislead.
    const message = /[.!?]$/.test(detail) ? detail : `${detail}.`;
    return new StripeError({
      type: "connection_error",
      status: 0,
      message,
      stripeMessage: `${error.message} ${detail}`,
    });
  }
  return stripeError(error.statusCode, error.rawType, error.message, {
    code: error.code,
    param: error.param,
    requestId: error.requestId,
  });
}
