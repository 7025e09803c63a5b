// Stripe's error responses: `{ error: { type, code?, message, param?, doc_url? } }`
// with the HTTP status Stripe uses for each kind of failure.

/** The `type` values Stripe puts in an error body. */
export type StripeErrorType = "api_error" | "card_error" | "idempotency_error" | "invalid_request_error";

/** The `error` object of a Stripe error response, as sent on the wire. */
export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  /** Set on card errors: the issuer's reason ("generic_decline", "insufficient_funds"). */
  decline_code?: string;
  param?: string;
  doc_url?: string;
}

/** A failure a fake endpoint answers with; the server writes `status` and `{ error: body }`. */
export class FakeStripeError extends Error {
  readonly status: number;
  readonly body: StripeErrorBody;
  constructor(status: number, body: StripeErrorBody) {
    super(body.message);
    this.name = "FakeStripeError";
    this.status = status;
    this.body = body;
  }
}

function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replaceAll("_", "-")}`;
}

/** 404 for an id that does not exist, e.g. "No such customer: 'cus_123'". */
export function noSuch(resource: string, id: string, param = "id"): FakeStripeError {
  return new FakeStripeError(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${resource}: '${id}'`,
    param,
    doc_url: docUrl("resource_missing"),
  });
}

/** 400 for a required parameter that was not sent. */
export function missingParam(param: string): FakeStripeError {
  return new FakeStripeError(400, {
    type: "invalid_request_error",
    code: "parameter_missing",
    message: `Missing required param: ${param}.`,
    param,
    doc_url: docUrl("parameter_missing"),
  });
}

/** 400 for a parameter this endpoint does not have. */
export function unknownParam(param: string): FakeStripeError {
  return new FakeStripeError(400, {
    type: "invalid_request_error",
    code: "parameter_unknown",
    message: `Received unknown parameter: ${param}`,
    param,
    doc_url: docUrl("parameter_unknown"),
  });
}

/** 400 for a parameter with a value of the wrong form (code e.g. "parameter_invalid_integer"). */
export function invalidParam(param: string, message: string, code = "parameter_invalid_empty"): FakeStripeError {
  return new FakeStripeError(400, { type: "invalid_request_error", code, message, param, doc_url: docUrl(code) });
}

/** 400 for a request that is well formed but not allowed in the object's current state. */
export function invalidRequest(message: string, extra: { code?: string; param?: string } = {}): FakeStripeError {
  return new FakeStripeError(400, { type: "invalid_request_error", message, ...extra });
}

/** 400 when a payment needs a card and neither the request nor the customer names one. */
export function noPaymentMethod(): FakeStripeError {
  return new FakeStripeError(400, {
    type: "invalid_request_error",
    code: "resource_missing",
    message:
      "This customer has no attached payment source or default payment method. Please consider adding a default payment method. For more information, visit https://stripe.com/docs/billing/subscriptions/payment-methods-setting#payment-method-priority.",
  });
}

/** 402 for a card the issuer refused (`code` e.g. "card_declined", "expired_card"). */
export function cardDeclined(message: string, code: string, declineCode?: string): FakeStripeError {
  return new FakeStripeError(402, {
    type: "card_error",
    code,
    message,
    ...(declineCode !== undefined && { decline_code: declineCode }),
    doc_url: docUrl(code),
  });
}

/** 404 for a path Stripe does not serve. */
export function unrecognizedUrl(method: string, path: string): FakeStripeError {
  return new FakeStripeError(404, {
    type: "invalid_request_error",
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
}

/** Hides all but the prefix and last four characters, as Stripe does when it quotes a key. */
export function maskKey(key: string): string {
  const prefix = /^(sk|rk|pk)_(test|live)_/.exec(key)?.[0] ?? "";
  const tail = key.length - prefix.length > 4 ? key.slice(-4) : "";
  return `${prefix}${"*".repeat(Math.max(key.length - prefix.length - tail.length, 0))}${tail}`;
}
