// /v1/refunds (money back on a succeeded payment) and /v1/balance (what the
// account holds: payments received minus refunds).
import type { FakeBalance, FakePaymentIntent, FakeRefund } from "./objects.ts";
import { applyMetadata } from "./params.ts";
import { route, type FakeRoute } from "./routing.ts";
import { mustFind, newId, nowSeconds, type FakeStripeState } from "./store.ts";
import { invalidParam, invalidRequest, noSuch } from "./stripe-errors.ts";

function formatAmount(amount: number, currency: string): string {
  return `${currency === "usd" ? "$" : ""}${(amount / 100).toFixed(2)}${currency === "usd" ? "" : ` ${currency.toUpperCase()}`}`;
}

function refundedSoFar(state: FakeStripeState, intent: FakePaymentIntent): number {
  let total = 0;
  for (const refund of state.refunds.values())
    if (refund.payment_intent === intent.id && refund.status !== "failed") total += refund.amount;
  return total;
}

export const refundRoutes: FakeRoute[] = [
  route("POST", "/v1/refunds", ({ state, params }) => {
    const intentId = params.string("payment_intent");
    const chargeId = params.string("charge");
    const amount = params.integer("amount");
    const reason = params.oneOf("reason", ["duplicate", "fraudulent", "requested_by_customer"] as const) ?? null;
    const metadata = applyMetadata({}, params.metadata());
    params.done();
    if (intentId === undefined && chargeId === undefined)
      throw invalidRequest(
        "One of the following params should be provided for this request: payment_intent or charge.",
        { param: "payment_intent" },
      );
    if (intentId !== undefined && chargeId !== undefined)
      throw invalidRequest("You may only specify one of these parameters: charge, payment_intent.", {
        param: "charge",
      });
    const intent =
      intentId !== undefined
        ? mustFind(state.paymentIntents, intentId, "payment_intent", "payment_intent")
        : [...state.paymentIntents.values()].find((candidate) => candidate.latest_charge === chargeId);
    if (intent === undefined) throw noSuch("charge", chargeId ?? "", "charge");
    if (intent.status !== "succeeded") {
      throw invalidRequest(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, {
        code: "charge_not_refundable",
        param: "payment_intent",
      });
    }
    const remaining = intent.amount_received - refundedSoFar(state, intent);
    if (remaining <= 0)
      throw invalidRequest(`Charge ${intent.latest_charge ?? ""} has already been refunded.`, {
        code: "charge_already_refunded",
      });
    if (amount !== undefined && amount < 1)
      throw invalidParam("amount", "This value must be greater than or equal to 1.", "parameter_invalid_integer");
    if (amount !== undefined && amount > remaining) {
      throw invalidRequest(
        `Refund amount (${formatAmount(amount, intent.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, intent.currency)})`,
        { code: "amount_too_large", param: "amount" },
      );
    }
    const refund: FakeRefund = {
      id: newId("re"),
      object: "refund",
      amount: amount ?? remaining,
      charge: intent.latest_charge,
      created: nowSeconds(),
      currency: intent.currency,
      metadata,
      payment_intent: intent.id,
      reason,
      receipt_number: null,
      status: "succeeded",
    };
    state.refunds.set(refund.id, refund);
    return refund;
  }),

  route("GET", "/v1/balance", ({ state, params }): FakeBalance => {
    params.done();
    const byCurrency = new Map<string, number>();
    for (const intent of state.paymentIntents.values()) {
      if (intent.status === "succeeded")
        byCurrency.set(intent.currency, (byCurrency.get(intent.currency) ?? 0) + intent.amount_received);
    }
    for (const refund of state.refunds.values())
      byCurrency.set(refund.currency, (byCurrency.get(refund.currency) ?? 0) - refund.amount);
    if (byCurrency.size === 0) byCurrency.set("usd", 0);
    const available = [...byCurrency].map(([currency, amount]) => ({
      amount,
      currency,
      source_types: { card: amount },
    }));
    return {
      object: "balance",
      available,
      livemode: false,
      pending: available.map(({ currency }) => ({ amount: 0, currency, source_types: { card: 0 } })),
    };
  }),
];
