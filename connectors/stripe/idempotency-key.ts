// The keys the in-app Stripe client makes up for writes the app did not key.
// The egress proxy recognises them by their prefix: inside an automation run it
// swaps them for the run's own key, which is the same on every retry.

/** Start of every key the client generates; a key the app passes never gets it from us. */
export const STRIPE_GENERATED_KEY_PREFIX = "kiln-generated-";

/** A fresh key for one write. */
export function generatedIdempotencyKey(): string {
  return `${STRIPE_GENERATED_KEY_PREFIX}${crypto.randomUUID()}`;
}
