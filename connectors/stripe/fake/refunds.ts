// /v1/refunds: money back on a succeeded charge, named by its `charge` or its
// `payment_intent`. A refund raises the charge's `amount_refunded` (`refunded`
// once all of it is back) and adds a negative balance transaction.
import { addBalanceTransaction } from "./balance-transactions.ts";
import { byCreated, readCreatedFilter } from "./listing.ts";
import type { FakeCharge, FakeRefund } from "./payment-objects.ts";
import { applyMetadata } from "./params.ts";
import { route, type FakeRoute } from "./routing.ts";
import { listPage, mustFind, newId, nowSeconds, type FakeStripeState } from "./store.ts";
import { invalidParam, invalidRequest } from "./stripe-errors.ts";

function formatAmount(amount: number, currency: string): string {
  return `${currency === "usd" ? "$" : ""}${(amount / 100).toFixed(2)}${currency === "usd" ? "" : ` ${currency.toUpperCase()}`}`;
}

/** The charge a refund request names, directly or through its payment intent's latest charge. */
function chargeToRefund(
  state: FakeStripeState,
  intentId: string | undefined,
  chargeId: string | undefined,
): FakeCharge {
  if (chargeId !== undefined) return mustFind(state.charges, chargeId, "charge", "charge");
  const intent = mustFind(state.paymentIntents, intentId ?? "", "payment_intent", "payment_intent");
  const charge = intent.latest_charge === null ? undefined : state.charges.get(intent.latest_charge);
  if (intent.status !== "succeeded" || charge === undefined) {
    throw invalidRequest(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, {
      code: "charge_not_refundable",
      param: "payment_intent",
    });
  }
  return charge;
}

/** Create (by charge or payment intent), list and retrieve: how apps give money back and see what they gave. */
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
    const charge = chargeToRefund(state, intentId, chargeId);
    const remaining = charge.amount_captured - charge.amount_refunded;
    if (remaining <= 0)
      throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" });
    if (amount !== undefined && amount < 1)
      throw invalidParam("amount", "This value must be greater than or equal to 1.", "parameter_invalid_integer");
    if (amount !== undefined && amount > remaining) {
      throw invalidRequest(
        `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
        { code: "amount_too_large", param: "amount" },
      );
    }
    const refund: FakeRefund = {
      id: newId("re"),
      object: "refund",
      amount: amount ?? remaining,
      balance_transaction: null,
      charge: charge.id,
      created: nowSeconds(),
      currency: charge.currency,
      customer: charge.customer,
      customer_account: null,
      metadata,
      payment_intent: charge.payment_intent,
      payment_method: charge.payment_method,
      reason,
      receipt_number: null,
      source_transfer_reversal: null,
      status: "succeeded",
      transfer_reversal: null,
    };
    refund.balance_transaction = addBalanceTransaction(state, {
      type: "refund",
      amount: -refund.amount,
      currency: refund.currency,
      created: refund.created,
      source: refund.id,
      description: null,
    }).id;
    charge.amount_refunded += refund.amount;
    charge.refunded = charge.amount_refunded >= charge.amount_captured;
    state.refunds.set(refund.id, refund);
    return refund;
  }),

  route("GET", "/v1/refunds", ({ state, params }) => {
    const created = readCreatedFilter(params);
    const charge = params.string("charge");
    const paymentIntent = params.string("payment_intent");
    const all = byCreated(state.refunds.values()).filter(
      (refund) =>
        created(refund.created) &&
        (charge === undefined || refund.charge === charge) &&
        (paymentIntent === undefined || refund.payment_intent === paymentIntent),
    );
    const page = listPage(all, params, "/v1/refunds", "refund");
    params.done();
    return page;
  }),

  route("GET", "/v1/refunds/:id", ({ state, params, ids: [id = ""] }) => {
    params.done();
    return mustFind(state.refunds, id, "refund");
  }),
];
