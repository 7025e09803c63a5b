// Stripe's idempotency layer: the first response to a key is saved; a retry
// with the same key and the same request gets it again, a different request
// with that key gets a 400 idempotency_error.
import type { FormHash, FormValue } from "./form-decoding.ts";
import { FakeStripeError } from "./stripe-errors.ts";

/** A saved response, replayed byte for byte. */
export interface SavedResponse {
  status: number;
  body: string;
}

/** What the layer decides for a request carrying a key. */
export type IdempotencyDecision = { kind: "new" } | { kind: "replay"; response: SavedResponse };

/** Parameters compared regardless of the order they were sent in. */
function canonical(value: FormValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  return `{${Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical(value[key] as FormValue)}`)
    .join(",")}}`;
}

/** Keys are scoped to the API key that sent them, as on Stripe. */
export class IdempotencyLayer {
  private readonly saved = new Map<string, { fingerprint: string; response: SavedResponse }>();

  /** Checks a keyed request; throws Stripe's 400 when the key was used for a different one. */
  check(apiKey: string, idempotencyKey: string, method: string, path: string, params: FormHash): IdempotencyDecision {
    if (idempotencyKey.length > 255) {
      throw new FakeStripeError(400, {
        type: "invalid_request_error",
        message: "Idempotency keys can be at most 255 characters long.",
        param: "Idempotency-Key",
      });
    }
    const entry = this.saved.get(`${apiKey}\n${idempotencyKey}`);
    if (entry === undefined) return { kind: "new" };
    if (entry.fingerprint !== fingerprint(method, path, params)) {
      throw new FakeStripeError(400, {
        type: "idempotency_error",
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
      });
    }
    return { kind: "replay", response: entry.response };
  }

  save(
    apiKey: string,
    idempotencyKey: string,
    method: string,
    path: string,
    params: FormHash,
    response: SavedResponse,
  ): void {
    this.saved.set(`${apiKey}\n${idempotencyKey}`, { fingerprint: fingerprint(method, path, params), response });
  }
}

function fingerprint(method: string, path: string, params: FormHash): string {
  return `${method} ${path} ${canonical(params)}`;
}
