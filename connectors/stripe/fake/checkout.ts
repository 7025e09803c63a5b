// /v1/checkout/sessions: the Stripe-hosted page that takes a payment (payment
// links open one per buyer: payment-links.ts). checkout-completion.ts plays the
// buyer paying on that page.
import { lineItemList, readLineItems, withoutLineItemsUnlessExpanded, type PricedQuantity } from "./line-items.ts";
import { byCreated, readCreatedFilter } from "./listing.ts";
import type { FakeCheckoutSession } from "./objects.ts";
import { applyMetadata, readUrl } from "./params.ts";
import { route, type FakeRoute } from "./routing.ts";
import { listPage, mustFind, newId, nowSeconds, type FakeStripeState } from "./store.ts";
import { invalidRequest, missingParam } from "./stripe-errors.ts";

const DAY = 86_400;

/** What opens a checkout session: the POST endpoint's params, or a seeded past payment. */
export interface NewCheckoutSession {
  mode: "payment" | "setup" | "subscription";
  items: readonly PricedQuantity[];
  created: number;
  customer: string | null;
  customerEmail: string | null;
  customerCreation: FakeCheckoutSession["customer_creation"];
  paymentLink: string | null;
  successUrl: string | null;
  cancelUrl: string | null;
  clientReferenceId: string | null;
  allowPromotionCodes: boolean | null;
  metadata: Record<string, string>;
}

/** Stores a new open session, priced from its items. */
export function openCheckoutSession(state: FakeStripeState, input: NewCheckoutSession): FakeCheckoutSession {
  const id = newId("cs_test", 58);
  const { list, total } = lineItemList(state, input.items, `/v1/checkout/sessions/${id}/line_items`);
  const session: FakeCheckoutSession = {
    id,
    object: "checkout.session",
    allow_promotion_codes: input.allowPromotionCodes,
    amount_subtotal: input.mode === "setup" ? null : total,
    amount_total: input.mode === "setup" ? null : total,
    cancel_url: input.cancelUrl,
    client_reference_id: input.clientReferenceId,
    created: input.created,
    currency: input.items[0]?.price.currency ?? null,
    customer: input.customer,
    customer_creation: input.mode === "payment" ? (input.customerCreation ?? "if_required") : null,
    customer_details: null,
    customer_email: input.customerEmail,
    expires_at: input.created + DAY,
    invoice: null,
    line_items: list,
    livemode: false,
    metadata: input.metadata,
    mode: input.mode,
    payment_intent: null,
    payment_link: input.paymentLink,
    payment_status: input.mode === "setup" ? "no_payment_required" : "unpaid",
    status: "open",
    subscription: null,
    success_url: input.successUrl,
    url: `https://checkout.stripe.com/c/pay/${id}`,
  };
  state.checkoutSessions.set(id, session);
  return session;
}

/** Checkout sessions: create, list, retrieve. */
export const checkoutRoutes: FakeRoute[] = [
  route("POST", "/v1/checkout/sessions", ({ state, params, expand }) => {
    const mode = params.oneOf("mode", ["payment", "setup", "subscription"] as const);
    if (mode === undefined) throw missingParam("mode");
    const items = mode === "setup" ? [] : readLineItems(state, params, "line_items", { max: 100, productData: true });
    const customer = params.string("customer");
    const customerEmail = params.string("customer_email");
    const customerCreation = params.oneOf("customer_creation", ["always", "if_required"] as const);
    const subscriptionData = params.hash("subscription_data");
    const trialPeriodDays = subscriptionData?.integer("trial_period_days") ?? null;
    const subscriptionMetadata = applyMetadata({}, subscriptionData?.metadata());
    subscriptionData?.done();
    const fields = {
      success_url: readUrl(params, "success_url") ?? null,
      cancel_url: readUrl(params, "cancel_url") ?? null,
      client_reference_id: params.string("client_reference_id") ?? null,
      allow_promotion_codes: params.boolean("allow_promotion_codes") ?? null,
      metadata: applyMetadata({}, params.metadata()),
    };
    params.done();
    if (customer !== undefined && customerEmail !== undefined)
      throw invalidRequest("You may only specify one of these parameters: customer, customer_email.", {
        param: "customer",
      });
    if (customer !== undefined) mustFind(state.customers, customer, "customer", "customer");
    if (customerCreation !== undefined && mode !== "payment")
      throw invalidRequest("`customer_creation` can only be used in `payment` mode.", { param: "customer_creation" });
    if (subscriptionData !== undefined && mode !== "subscription")
      throw invalidRequest("`subscription_data` can only be used in `subscription` mode.", {
        param: "subscription_data",
      });
    if (mode === "payment" && items.some((item) => item.price.recurring !== null)) {
      throw invalidRequest(
        "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
        { param: "line_items" },
      );
    }
    if (mode === "subscription" && !items.some((item) => item.price.recurring !== null)) {
      throw invalidRequest("You must provide at least one recurring price in `subscription` mode when using prices.", {
        param: "line_items",
      });
    }
    const session = openCheckoutSession(state, {
      mode,
      items,
      created: nowSeconds(),
      customer: customer ?? null,
      customerEmail: customerEmail ?? null,
      customerCreation: customerCreation ?? null,
      paymentLink: null,
      successUrl: fields.success_url,
      cancelUrl: fields.cancel_url,
      clientReferenceId: fields.client_reference_id,
      allowPromotionCodes: fields.allow_promotion_codes,
      metadata: fields.metadata,
    });
    state.checkoutSubscriptionData.set(session.id, { trialPeriodDays, metadata: subscriptionMetadata });
    return withoutLineItemsUnlessExpanded(session, expand);
  }),

  route("GET", "/v1/checkout/sessions", ({ state, params, expand }) => {
    const created = readCreatedFilter(params);
    const customer = params.string("customer");
    const customerDetails = params.hash("customer_details");
    const email = customerDetails?.requiredString("email");
    customerDetails?.done();
    const paymentIntent = params.string("payment_intent");
    const paymentLink = params.string("payment_link");
    const status = params.oneOf("status", ["complete", "expired", "open"] as const);
    const subscription = params.string("subscription");
    const all = byCreated(state.checkoutSessions.values()).filter(
      (session) =>
        created(session.created) &&
        (customer === undefined || session.customer === customer) &&
        (email === undefined || session.customer_details?.email === email) &&
        (paymentIntent === undefined || session.payment_intent === paymentIntent) &&
        (paymentLink === undefined || session.payment_link === paymentLink) &&
        (status === undefined || session.status === status) &&
        (subscription === undefined || session.subscription === subscription),
    );
    const page = listPage(all, params, "/v1/checkout/sessions", "checkout.session");
    params.done();
    const withLineItems = expand.some((path) => path === "data.line_items" || path.startsWith("data.line_items."));
    return withLineItems
      ? page
      : { ...page, data: page.data.map((session) => withoutLineItemsUnlessExpanded(session, [])) };
  }),

  route("GET", "/v1/checkout/sessions/:id", ({ state, params, expand, ids: [id = ""] }) => {
    params.done();
    return withoutLineItemsUnlessExpanded(mustFind(state.checkoutSessions, id, "checkout.session"), expand);
  }),
];
