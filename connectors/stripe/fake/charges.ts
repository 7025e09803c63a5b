// /v1/charges: the money a succeeded payment intent took from a card, each
// with its balance transaction. Charges are made by payments (payment-intents.ts),
// never directly; here they are listed, searched and retrieved.
import { addBalanceTransaction } from "./balance-transactions.ts";
import { byCreated, readCreatedFilter, searchPage } from "./listing.ts";
import type { FakeCustomer, FakeSearchResult } from "./objects.ts";
import type { FakeCharge } from "./payment-objects.ts";
import { route, type FakeRoute } from "./routing.ts";
import type { SearchFields } from "./search-query.ts";
import { listPage, mustFind, newId, type FakeStripeState } from "./store.ts";

type BillingDetails = FakeCharge["billing_details"];

/** Who paid, as the card form collected it; absent parts are null. */
export function billingDetails(
  fields: Partial<Pick<BillingDetails, "address" | "email" | "name" | "phone">>,
  customer?: FakeCustomer,
): BillingDetails {
  return {
    address: fields.address ??
      customer?.address ?? { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
    email: fields.email ?? customer?.email ?? null,
    name: fields.name ?? customer?.name ?? null,
    phone: fields.phone ?? customer?.phone ?? null,
    tax_id: null,
  };
}

/** What a new charge records; the card is always Stripe's test Visa 4242. */
export interface NewCharge {
  amount: number;
  currency: string;
  created: number;
  customer: string | null;
  description: string | null;
  metadata: Record<string, string>;
  paymentIntent: string;
  paymentMethod: string;
  billing: BillingDetails;
  receiptEmail: string | null;
}

/** Records a succeeded, captured card charge and the balance transaction it adds. */
export function createCharge(state: FakeStripeState, input: NewCharge): FakeCharge {
  const id = newId("ch");
  const transaction = addBalanceTransaction(state, {
    type: "charge",
    amount: input.amount,
    currency: input.currency,
    created: input.created,
    source: id,
    description: input.description,
  });
  const charge: FakeCharge = {
    id,
    object: "charge",
    amount: input.amount,
    amount_captured: input.amount,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: transaction.id,
    billing_details: input.billing,
    calculated_statement_descriptor: "KILN FAKE",
    captured: true,
    created: input.created,
    currency: input.currency,
    customer: input.customer,
    description: input.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: input.metadata,
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: "approved_by_network",
      reason: null,
      risk_level: "normal",
      risk_score: 32,
      seller_message: "Payment complete.",
      type: "authorized",
    },
    paid: true,
    payment_intent: input.paymentIntent,
    payment_method: input.paymentMethod,
    payment_method_details: {
      type: "card",
      card: {
        amount_authorized: input.amount,
        authorization_code: null,
        brand: "visa",
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
        country: "US",
        exp_month: 12,
        exp_year: new Date(input.created * 1000).getUTCFullYear() + 3,
        fingerprint: "KilnFake4242Visa",
        funding: "credit",
        installments: null,
        last4: "4242",
        mandate: null,
        network: "visa",
        network_transaction_id: null,
        regulated_status: "unregulated",
        three_d_secure: null,
        transaction_link_id: null,
        wallet: null,
      },
    },
    receipt_email: input.receiptEmail,
    receipt_number: null,
    receipt_url: `https://pay.stripe.com/receipts/payment/${newId("x", 40).slice(2)}`,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "succeeded",
    transfer_data: null,
    transfer_group: null,
  };
  state.charges.set(id, charge);
  return charge;
}

/** The fields Stripe lets charges be searched by (of the billing details, only the postal code). */
const searchFields: SearchFields<FakeCharge> = {
  amount: (charge) => charge.amount,
  "billing_details.address.postal_code": (charge) => charge.billing_details.address?.postal_code ?? null,
  created: (charge) => charge.created,
  currency: (charge) => charge.currency,
  customer: (charge) => charge.customer,
  disputed: (charge) => String(charge.disputed),
  metadata: () => null,
  "payment_method_details.card.brand": (charge) => charge.payment_method_details.card.brand,
  "payment_method_details.card.exp_month": (charge) => charge.payment_method_details.card.exp_month,
  "payment_method_details.card.exp_year": (charge) => charge.payment_method_details.card.exp_year,
  "payment_method_details.card.fingerprint": (charge) => charge.payment_method_details.card.fingerprint ?? null,
  "payment_method_details.card.last4": (charge) => charge.payment_method_details.card.last4,
  refunded: (charge) => String(charge.refunded),
  status: (charge) => charge.status,
};

/** GET list, search and retrieve: how apps read what was paid (charges are created by payments only). */
export const chargeRoutes: FakeRoute[] = [
  route("GET", "/v1/charges", ({ state, params }) => {
    const created = readCreatedFilter(params);
    const customer = params.string("customer");
    const paymentIntent = params.string("payment_intent");
    const transferGroup = params.string("transfer_group");
    const all = byCreated(state.charges.values()).filter(
      (charge) =>
        created(charge.created) &&
        (customer === undefined || charge.customer === customer) &&
        (paymentIntent === undefined || charge.payment_intent === paymentIntent) &&
        (transferGroup === undefined || charge.transfer_group === transferGroup),
    );
    const page = listPage(all, params, "/v1/charges", "charge");
    params.done();
    return page;
  }),

  route(
    "GET",
    "/v1/charges/search",
    ({ state, params }): FakeSearchResult<FakeCharge> =>
      searchPage(byCreated(state.charges.values()).reverse(), params, {
        resource: "charges",
        url: "/v1/charges/search",
        fields: searchFields,
      }),
  ),

  route("GET", "/v1/charges/:id", ({ state, params, ids: [id = ""] }) => {
    params.done();
    return mustFind(state.charges, id, "charge");
  }),
];
