// What the egress proxy and the connections API know about Stripe.
import type { ConnectorRule } from "../types";
import { STRIPE_API_VERSION } from "./api-version";
import { STRIPE_GENERATED_KEY_PREFIX } from "./idempotency-key";

/**
 * Stripe: the owner's secret or restricted key, sent as a bearer token to
 * api.stripe.com only. The API version is pinned here so every app sees the
 * objects its declaration describes, whatever the account's default is.
 * The check lists at most one customer: read-only, and it needs only the
 * "Customers: Read" permission, which every restricted key able to run this
 * connector's operations has (GET /v1/balance needs "Balance: Read", which
 * nothing here uses, so a well-scoped restricted key would fail it).
 */
export const stripeRule: ConnectorRule = {
  id: "stripe",
  label: "Stripe",
  kind: "api_key",
  hosts: ["api.stripe.com"],
  upstreamVar: "STRIPE_API_BASE",
  inject: { header: "authorization", scheme: "Bearer" },
  fixedHeaders: { "Stripe-Version": STRIPE_API_VERSION },
  idempotency: { header: "Idempotency-Key", generatedPrefix: STRIPE_GENERATED_KEY_PREFIX },
  check: { method: "GET", host: "api.stripe.com", path: "/v1/customers?limit=1" },
};
