// The Stripe API version Kiln speaks: the one the installed `stripe` package's
// types describe. The egress proxy pins it on every call (rule.ts), so an
// owner's account default never changes what apps receive.

/** Sent as the `Stripe-Version` header on every call. */
export const STRIPE_API_VERSION = "2026-10-28.endive";
