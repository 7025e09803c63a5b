// /v1/payment_intents: one per payment taken. The fake makes them only when a
// payment succeeds (a paid checkout, a seeded past payment), each with its
// charge and balance transaction; here they are listed, searched and retrieved.
import { billingDetails, createCharge } from "./charges.ts";
import { byCreated, readCreatedFilter, searchPage } from "./listing.ts";
import type { FakeCustomer, FakeSearchResult } from "./objects.ts";
import type { FakeCharge, FakePaymentIntent } from "./payment-objects.ts";
import { route, type FakeRoute } from "./routing.ts";
import type { SearchFields } from "./search-query.ts";
import { listPage, mustFind, newId, type FakeStripeState } from "./store.ts";

/** A succeeded card payment, as a checkout page or a seeded history takes it. */
export interface NewPayment {
  amount: number;
  currency: string;
  /** When it was paid (Unix seconds): the intent, charge and balance transaction all carry it. */
  created: number;
  customer: FakeCustomer | null;
  /** The payer's email and name when no customer holds them (a guest checkout). */
  email: string | null;
  name: string | null;
  description: string | null;
  metadata: Record<string, string>;
  paymentMethod: string;
}

/** Records a succeeded payment: its payment intent, charge and balance transaction. */
export function recordPayment(
  state: FakeStripeState,
  payment: NewPayment,
): { intent: FakePaymentIntent; charge: FakeCharge } {
  const id = newId("pi");
  const charge = createCharge(state, {
    amount: payment.amount,
    currency: payment.currency,
    created: payment.created,
    customer: payment.customer?.id ?? null,
    description: payment.description,
    metadata: payment.metadata,
    paymentIntent: id,
    paymentMethod: payment.paymentMethod,
    billing: billingDetails(
      { ...(payment.email !== null && { email: payment.email }), ...(payment.name !== null && { name: payment.name }) },
      payment.customer ?? undefined,
    ),
    receiptEmail: null,
  });
  const intent: FakePaymentIntent = {
    id,
    object: "payment_intent",
    allowed_payment_method_types: null,
    amount: payment.amount,
    amount_capturable: 0,
    amount_received: payment.amount,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic_async",
    client_secret: `${id}_secret_${newId("x", 25).slice(2)}`,
    confirmation_method: "automatic",
    created: payment.created,
    currency: payment.currency,
    customer: payment.customer?.id ?? null,
    customer_account: null,
    description: payment.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: charge.id,
    livemode: false,
    managed_payments: null,
    metadata: payment.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: payment.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ["card"],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "succeeded",
    transfer_data: null,
    transfer_group: null,
  };
  state.paymentIntents.set(id, intent);
  return { intent, charge };
}

/** The fields Stripe lets payment intents be searched by. */
const searchFields: SearchFields<FakePaymentIntent> = {
  amount: (intent) => intent.amount,
  created: (intent) => intent.created,
  currency: (intent) => intent.currency,
  customer: (intent) => intent.customer,
  metadata: () => null,
  status: (intent) => intent.status,
};

/** GET list, search and retrieve: how apps find a payment and its latest charge. */
export const paymentIntentRoutes: FakeRoute[] = [
  route("GET", "/v1/payment_intents", ({ state, params }) => {
    const created = readCreatedFilter(params);
    const customer = params.string("customer");
    const customerAccount = params.string("customer_account");
    const all = byCreated(state.paymentIntents.values()).filter(
      (intent) =>
        created(intent.created) &&
        (customer === undefined || intent.customer === customer) &&
        (customerAccount === undefined || intent.customer_account === customerAccount),
    );
    const page = listPage(all, params, "/v1/payment_intents", "payment_intent");
    params.done();
    return page;
  }),

  route(
    "GET",
    "/v1/payment_intents/search",
    ({ state, params }): FakeSearchResult<FakePaymentIntent> =>
      searchPage(byCreated(state.paymentIntents.values()).reverse(), params, {
        resource: "payment_intents",
        url: "/v1/payment_intents/search",
        fields: searchFields,
      }),
  ),

  route("GET", "/v1/payment_intents/:id", ({ state, params, ids: [id = ""] }) => {
    params.done();
    return mustFind(state.paymentIntents, id, "payment_intent");
  }),
];
