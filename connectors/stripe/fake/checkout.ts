// /v1/payment_links and /v1/checkout/sessions: Stripe-hosted pages that take
// the payment. `completeCheckoutSession` plays the buyer paying on that page.
import { newCustomer } from "./customers.ts";
import { lineItemList, readLineItems } from "./line-items.ts";
import type { FakeCheckoutSession, FakeCustomer, FakePaymentIntent, FakePaymentLink } from "./objects.ts";
import { applyMetadata, type Params } from "./params.ts";
import { route, type FakeRoute } from "./routing.ts";
import { mustFind, newId, nowSeconds, type FakeStripeState } from "./store.ts";
import { startSubscription } from "./subscriptions.ts";
import { invalidParam, invalidRequest, missingParam } from "./stripe-errors.ts";

const DAY = 86_400;

function readUrl(params: Params, key: string): string | undefined {
  const value = params.string(key);
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
    throw invalidParam(params.nameOf(key), "Not a valid URL", "url_invalid");
  return value;
}

/** `line_items` is includable: sent only when the caller asks with `expand[]=line_items`. */
function withoutLineItemsUnlessExpanded<T extends { line_items: unknown }>(
  object: T,
  expand: readonly string[],
): T | Omit<T, "line_items"> {
  if (expand.some((path) => path === "line_items" || path.startsWith("line_items."))) return object;
  const { line_items: _hidden, ...rest } = object;
  return rest;
}

function readAfterCompletion(params: Params | undefined): FakePaymentLink["after_completion"] {
  if (params === undefined) return { type: "hosted_confirmation", hosted_confirmation: { custom_message: null } };
  const type = params.oneOf("type", ["hosted_confirmation", "redirect"] as const);
  if (type === undefined) throw missingParam(params.nameOf("type"));
  const redirect = params.hash("redirect");
  const confirmation = params.hash("hosted_confirmation");
  params.done();
  if (type === "redirect") {
    if (redirect === undefined) throw missingParam(`${params.nameOf("redirect")}[url]`);
    const url = readUrl(redirect, "url");
    redirect.done();
    if (url === undefined) throw missingParam(redirect.nameOf("url"));
    return { type, redirect: { url } };
  }
  const customMessage = confirmation?.string("custom_message") ?? null;
  confirmation?.done();
  return { type, hosted_confirmation: { custom_message: customMessage } };
}

/**
 * The buyer pays on the hosted page: the session completes, with a customer
 * holding a default payment method, and a succeeded payment (payment mode) or
 * a started subscription (subscription mode).
 */
export function completeCheckoutSession(state: FakeStripeState, id: string): FakeCheckoutSession {
  const session = mustFind(state.checkoutSessions, id, "checkout.session");
  if (session.status !== "open")
    throw invalidRequest(`This Checkout Session is ${session.status ?? "not open"} and can no longer be paid.`);
  const paymentMethod = newId("pm");
  const email = session.customer_email ?? "buyer@example.com";
  let customer: FakeCustomer | undefined =
    session.customer === null ? undefined : state.customers.get(session.customer);
  if (customer === undefined && (session.mode === "subscription" || session.customer_creation === "always")) {
    customer = newCustomer({ email, currency: session.currency });
    state.customers.set(customer.id, customer);
  }
  if (customer !== undefined)
    customer.invoice_settings = { ...customer.invoice_settings, default_payment_method: paymentMethod };
  session.customer = customer?.id ?? null;
  session.customer_details = { email: customer?.email ?? email, name: customer?.name ?? null };
  if (session.mode === "payment") {
    const intent: FakePaymentIntent = {
      id: newId("pi"),
      object: "payment_intent",
      amount: session.amount_total ?? 0,
      amount_received: session.amount_total ?? 0,
      created: nowSeconds(),
      currency: session.currency ?? "usd",
      customer: session.customer,
      description: null,
      latest_charge: newId("ch"),
      livemode: false,
      metadata: {},
      payment_method: paymentMethod,
      status: "succeeded",
    };
    state.paymentIntents.set(intent.id, intent);
    session.payment_intent = intent.id;
  } else if (session.mode === "subscription" && customer !== undefined) {
    const items = session.line_items.data.map((line) => ({ price: line.price, quantity: line.quantity ?? 1 }));
    const data = state.checkoutSubscriptionData.get(session.id) ?? { trialPeriodDays: null, metadata: {} };
    const subscription = startSubscription(state, {
      customer,
      items,
      metadata: data.metadata,
      description: null,
      trialPeriodDays: data.trialPeriodDays,
      collectionMethod: "charge_automatically",
      daysUntilDue: null,
      paymentBehavior: "allow_incomplete",
      defaultPaymentMethod: null,
      cancelAtPeriodEnd: false,
    });
    session.subscription = subscription.id;
    session.invoice = subscription.latest_invoice;
  }
  session.status = "complete";
  session.payment_status = session.mode === "setup" ? "no_payment_required" : "paid";
  return session;
}

export const checkoutRoutes: FakeRoute[] = [
  route("POST", "/v1/payment_links", ({ state, params, expand }) => {
    const items = readLineItems(state, params, "line_items", { max: 20, productData: true });
    const afterCompletion = readAfterCompletion(params.hash("after_completion"));
    const link: Omit<FakePaymentLink, "line_items"> = {
      id: newId("plink"),
      object: "payment_link",
      active: true,
      after_completion: afterCompletion,
      allow_promotion_codes: params.boolean("allow_promotion_codes") ?? false,
      billing_address_collection: params.oneOf("billing_address_collection", ["auto", "required"] as const) ?? "auto",
      currency: items[0]?.price.currency ?? "usd",
      customer_creation: params.oneOf("customer_creation", ["always", "if_required"] as const) ?? "if_required",
      livemode: false,
      metadata: applyMetadata({}, params.metadata()),
      url: `https://buy.stripe.com/test_${newId("x", 14).slice(2)}`,
    };
    params.done();
    const stored: FakePaymentLink = {
      ...link,
      line_items: lineItemList(state, items, `/v1/payment_links/${link.id}/line_items`).list,
    };
    state.paymentLinks.set(stored.id, stored);
    return withoutLineItemsUnlessExpanded(stored, expand);
  }),

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
    const id = newId("cs_test", 58);
    const { list, total } = lineItemList(state, items, `/v1/checkout/sessions/${id}/line_items`);
    const created = nowSeconds();
    const session: FakeCheckoutSession = {
      id,
      object: "checkout.session",
      ...fields,
      amount_subtotal: mode === "setup" ? null : total,
      amount_total: mode === "setup" ? null : total,
      created,
      currency: items[0]?.price.currency ?? null,
      customer: customer ?? null,
      customer_creation: mode === "payment" ? (customerCreation ?? "if_required") : null,
      customer_details: null,
      customer_email: customerEmail ?? null,
      expires_at: created + DAY,
      invoice: null,
      line_items: list,
      livemode: false,
      mode,
      payment_intent: null,
      payment_link: null,
      payment_status: mode === "setup" ? "no_payment_required" : "unpaid",
      status: "open",
      subscription: null,
      url: `https://checkout.stripe.com/c/pay/${id}`,
    };
    state.checkoutSessions.set(id, session);
    state.checkoutSubscriptionData.set(id, { trialPeriodDays, metadata: subscriptionMetadata });
    return withoutLineItemsUnlessExpanded(session, expand);
  }),

  route("GET", "/v1/checkout/sessions/:id", ({ state, params, expand, ids: [id = ""] }) => {
    params.done();
    return withoutLineItemsUnlessExpanded(mustFind(state.checkoutSessions, id, "checkout.session"), expand);
  }),
];
