import Stripe from "stripe";

/** How far a signed timestamp may lie in the past: Stripe's own default, so an old capture cannot be replayed. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The parts of a Stripe event Kiln reads itself; the app gets the whole event. */
export interface VerifiedStripeEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
}

/** A delivery that is not provably from Stripe (missing, wrong or stale signature). */
export class StripeSignatureError extends Error {
  override readonly name = "StripeSignatureError";
}

/**
 * Checks a delivery with the official package's async verifier (Web Crypto):
 * the HMAC of the exact body under the endpoint's secret, and the signed
 * timestamp within the tolerance.
 */
export async function verifyStripeEvent(
  rawBody: string,
  signatureHeader: string | null,
  signingSecret: string,
): Promise<VerifiedStripeEvent> {
  if (!signatureHeader) throw new StripeSignatureError("the request has no Stripe-Signature header");
  let event: { id?: unknown; type?: unknown };
  try {
    event = (await Stripe.webhooks.constructEventAsync(
      rawBody,
      signatureHeader,
      signingSecret,
      SIGNATURE_TOLERANCE_SECONDS,
    )) as unknown as { id?: unknown; type?: unknown };
  } catch (error) {
    // The package's messages name the problem (no match, timestamp outside tolerance) and never the secret.
    throw new StripeSignatureError(
      error instanceof Error ? error.message.split("\n")[0]! : "the signature did not match",
    );
  }
  if (typeof event.id !== "string" || typeof event.type !== "string")
    throw new StripeSignatureError("the signed body is not a Stripe event");
  return { id: event.id, type: event.type, payload: event as Record<string, unknown> };
}
