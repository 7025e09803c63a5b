// /v1/subscriptions: create (with its first invoice), retrieve, update, cancel, list.
import { addInvoiceLine, createDraftInvoice, finalizeInvoice, markInvoicePaid } from "./invoices.ts";
import { readPriceReference, type PricedQuantity } from "./line-items.ts";
import type { FakeCustomer, FakeRecurring, FakeSubscription, FakeSubscriptionItem } from "./objects.ts";
import { applyMetadata, type Params } from "./params.ts";
import { route, type FakeRoute } from "./routing.ts";
import { listPage, mustFind, newId, nowSeconds, type FakeStripeState } from "./store.ts";
import { FakeStripeError, invalidParam, invalidRequest, missingParam } from "./stripe-errors.ts";

const DAY = 86_400;
const STATUSES = [
  "active",
  "all",
  "canceled",
  "ended",
  "incomplete",
  "incomplete_expired",
  "past_due",
  "paused",
  "trialing",
  "unpaid",
] as const;

/** Everything that decides how a new subscription starts. */
export interface NewSubscription {
  customer: FakeCustomer;
  items: PricedQuantity[];
  metadata: Record<string, string>;
  description: string | null;
  trialPeriodDays: number | null;
  collectionMethod: "charge_automatically" | "send_invoice";
  daysUntilDue: number | null;
  paymentBehavior: "allow_incomplete" | "default_incomplete" | "error_if_incomplete" | "pending_if_incomplete";
  defaultPaymentMethod: string | null;
  cancelAtPeriodEnd: boolean;
}

/** The end of one billing period that starts at `start` (Unix seconds). */
function periodEnd(start: number, recurring: FakeRecurring): number {
  const date = new Date(start * 1000);
  const count = recurring.interval_count;
  if (recurring.interval === "day") date.setUTCDate(date.getUTCDate() + count);
  else if (recurring.interval === "week") date.setUTCDate(date.getUTCDate() + 7 * count);
  else if (recurring.interval === "month") date.setUTCMonth(date.getUTCMonth() + count);
  else date.setUTCFullYear(date.getUTCFullYear() + count);
  return Math.floor(date.getTime() / 1000);
}

function recurringOf(item: PricedQuantity, param: string): FakeRecurring {
  if (item.price.recurring === null)
    throw invalidRequest(
      "The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.",
      { param },
    );
  return item.price.recurring;
}

function subscriptionItem(
  subscription: string,
  item: PricedQuantity,
  start: number,
  end: number,
  metadata: Record<string, string> = {},
): FakeSubscriptionItem {
  return {
    id: newId("si", 14),
    object: "subscription_item",
    created: start,
    current_period_start: start,
    current_period_end: end,
    metadata,
    price: item.price,
    quantity: item.quantity,
    subscription,
  };
}

/**
 * Starts a subscription and its first invoice, as Stripe does: trialing with a
 * free trial, active when the first invoice is paid (default payment method) or
 * sent (send_invoice), incomplete with `default_incomplete`, refused otherwise.
 */
export function startSubscription(state: FakeStripeState, input: NewSubscription): FakeSubscription {
  const recurrences = input.items.map((item, index) => recurringOf(item, `items[${index}][price]`));
  const first = recurrences[0];
  if (first === undefined) throw missingParam("items");
  if (recurrences.some((r) => r.interval !== first.interval || r.interval_count !== first.interval_count)) {
    throw invalidRequest(
      "Currency and interval fields must match across all plans on this subscription. Found mismatch in interval field.",
      { param: "items" },
    );
  }
  const paymentMethod =
    input.defaultPaymentMethod ?? (input.customer.invoice_settings.default_payment_method as string | null);
  const charged = input.trialPeriodDays === null && input.collectionMethod === "charge_automatically";
  if (charged && paymentMethod === null && input.paymentBehavior !== "default_incomplete") {
    throw new FakeStripeError(400, {
      type: "invalid_request_error",
      code: "resource_missing",
      message:
        "This customer has no attached payment source or default payment method. Please consider adding a default payment method. For more information, visit https://stripe.com/docs/billing/subscriptions/payment-methods-setting#payment-method-priority.",
    });
  }
  const start = nowSeconds();
  const trialEnd = input.trialPeriodDays === null ? null : start + input.trialPeriodDays * DAY;
  const end = trialEnd ?? periodEnd(start, first);
  const id = newId("sub");
  const currency = input.items[0]?.price.currency ?? "usd";
  const subscription: FakeSubscription = {
    id,
    object: "subscription",
    billing_cycle_anchor: trialEnd ?? start,
    cancel_at: input.cancelAtPeriodEnd ? end : null,
    cancel_at_period_end: input.cancelAtPeriodEnd,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: input.collectionMethod,
    created: start,
    currency,
    customer: input.customer.id,
    days_until_due: input.daysUntilDue,
    default_payment_method: input.defaultPaymentMethod,
    description: input.description,
    ended_at: null,
    items: {
      object: "list",
      data: input.items.map((item) => subscriptionItem(id, item, start, end)),
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: null,
    livemode: false,
    metadata: input.metadata,
    start_date: start,
    status: "active",
    trial_end: trialEnd,
    trial_start: trialEnd === null ? null : start,
  };
  const invoice = createDraftInvoice(state, {
    customer: input.customer,
    currency,
    collectionMethod: input.collectionMethod,
    daysUntilDue: input.daysUntilDue,
    description: null,
    metadata: {},
    autoAdvance: true,
    billingReason: "subscription_create",
    subscription: { id, metadata: input.metadata },
  });
  for (const item of input.items) {
    const amount = trialEnd === null ? (item.price.unit_amount ?? 0) * item.quantity : 0;
    const name = state.products.get(item.price.product)?.name ?? "Subscription";
    addInvoiceLine(invoice, {
      amount,
      description: `${item.quantity} × ${name}${trialEnd === null ? "" : " (trial)"}`,
      quantity: item.quantity,
      price: item.price,
      period: { start, end },
      metadata: {},
    });
  }
  finalizeInvoice(state, invoice, input.customer);
  if (trialEnd !== null) subscription.status = "trialing";
  else if (charged && paymentMethod !== null) markInvoicePaid(invoice);
  else if (charged) subscription.status = "incomplete";
  subscription.latest_invoice = invoice.id;
  state.subscriptions.set(id, subscription);
  return subscription;
}

function readItems(params: Params): Params[] | undefined {
  const items = params.hashList("items");
  if (items !== undefined && items.length > 20)
    throw invalidParam("items", "You may only specify up to 20 items.", "parameter_invalid_array");
  return items;
}

export const subscriptionRoutes: FakeRoute[] = [
  route("POST", "/v1/subscriptions", ({ state, params }) => {
    const customerId = params.requiredString("customer");
    const itemParams = readItems(params);
    const items = (itemParams ?? []).map((item) => {
      const price = readPriceReference(state, item, { productData: false });
      const quantity = item.integer("quantity") ?? 1;
      item.done();
      return { price, quantity };
    });
    const input = {
      metadata: applyMetadata({}, params.metadata()),
      description: params.string("description") ?? null,
      trialPeriodDays: params.integer("trial_period_days") ?? null,
      collectionMethod:
        params.oneOf("collection_method", ["charge_automatically", "send_invoice"] as const) ?? "charge_automatically",
      daysUntilDue: params.integer("days_until_due") ?? null,
      paymentBehavior:
        params.oneOf("payment_behavior", [
          "allow_incomplete",
          "default_incomplete",
          "error_if_incomplete",
          "pending_if_incomplete",
        ] as const) ?? "allow_incomplete",
      defaultPaymentMethod: params.string("default_payment_method") ?? null,
      cancelAtPeriodEnd: params.boolean("cancel_at_period_end") ?? false,
    };
    params.oneOf("proration_behavior", ["always_invoice", "create_prorations", "none"] as const);
    params.done();
    if (items.length === 0) throw missingParam("items");
    if (input.collectionMethod === "send_invoice" && input.daysUntilDue === null) throw missingParam("days_until_due");
    const customer = mustFind(state.customers, customerId, "customer", "customer");
    return startSubscription(state, { ...input, customer, items });
  }),

  route("GET", "/v1/subscriptions", ({ state, params }) => {
    const customer = params.string("customer");
    const price = params.string("price");
    const status = params.oneOf("status", STATUSES);
    const all = [...state.subscriptions.values()].filter(
      (subscription) =>
        (customer === undefined || subscription.customer === customer) &&
        (price === undefined || subscription.items.data.some((item) => item.price.id === price)) &&
        (status === "all" ||
          (status === undefined &&
            subscription.status !== "canceled" &&
            subscription.status !== "incomplete_expired") ||
          (status === "ended" &&
            (subscription.status === "canceled" || subscription.status === "incomplete_expired")) ||
          subscription.status === status),
    );
    const page = listPage(all, params, "/v1/subscriptions", "subscription");
    params.done();
    return page;
  }),

  route("GET", "/v1/subscriptions/:id", ({ state, params, ids: [id = ""] }) => {
    params.done();
    return mustFind(state.subscriptions, id, "subscription");
  }),

  route("POST", "/v1/subscriptions/:id", ({ state, params, ids: [id = ""] }) => {
    const subscription = mustFind(state.subscriptions, id, "subscription");
    const metadata = params.metadata();
    const itemParams = readItems(params);
    const cancelAtPeriodEnd = params.boolean("cancel_at_period_end");
    const description = params.nullableString("description");
    const defaultPaymentMethod = params.string("default_payment_method");
    params.oneOf("proration_behavior", ["always_invoice", "create_prorations", "none"] as const);
    const onlyMetadata =
      itemParams === undefined &&
      cancelAtPeriodEnd === undefined &&
      description === undefined &&
      defaultPaymentMethod === undefined;
    if (subscription.status === "canceled" && !onlyMetadata)
      throw invalidRequest("A canceled subscription can only update its cancellation_details and metadata.");
    const items = [...subscription.items.data];
    const period = {
      start: items[0]?.current_period_start ?? subscription.start_date,
      end: items[0]?.current_period_end ?? subscription.start_date,
    };
    for (const item of itemParams ?? []) {
      const itemId = item.string("id");
      const deleted = item.boolean("deleted") ?? false;
      const itemMetadata = item.metadata();
      const changesPrice = item.has("price") || item.has("price_data");
      const price = changesPrice ? readPriceReference(state, item, { productData: false }) : undefined;
      const quantity = item.integer("quantity");
      item.done();
      if (itemId === undefined) {
        if (price === undefined) throw missingParam(item.nameOf("price"));
        recurringOf({ price, quantity: 1 }, item.nameOf("price"));
        items.push(
          subscriptionItem(
            id,
            { price, quantity: quantity ?? 1 },
            period.start,
            period.end,
            applyMetadata({}, itemMetadata),
          ),
        );
        continue;
      }
      const index = items.findIndex((existing) => existing.id === itemId);
      const existing = items[index];
      if (existing === undefined)
        throw invalidRequest(`Subscription item ${itemId} does not belong to this subscription.`, {
          param: item.nameOf("id"),
        });
      if (deleted) {
        items.splice(index, 1);
        continue;
      }
      if (price !== undefined) recurringOf({ price, quantity: 1 }, item.nameOf("price"));
      items[index] = {
        ...existing,
        ...(price !== undefined && { price }),
        ...(quantity !== undefined && { quantity }),
        metadata: applyMetadata(existing.metadata, itemMetadata),
      };
    }
    params.done();
    if (items.length === 0)
      throw invalidRequest("A subscription must have at least one active item.", { param: "items" });
    const updated: FakeSubscription = {
      ...subscription,
      items: { ...subscription.items, data: items },
      metadata: applyMetadata(subscription.metadata, metadata),
      ...(description !== undefined && { description }),
      ...(defaultPaymentMethod !== undefined && { default_payment_method: defaultPaymentMethod }),
      ...(cancelAtPeriodEnd !== undefined && {
        cancel_at_period_end: cancelAtPeriodEnd,
        cancel_at: cancelAtPeriodEnd ? period.end : null,
      }),
    };
    state.subscriptions.set(id, updated);
    return updated;
  }),

  route("DELETE", "/v1/subscriptions/:id", ({ state, params, ids: [id = ""] }) => {
    params.boolean("invoice_now");
    params.boolean("prorate");
    const details = params.hash("cancellation_details");
    const comment = details?.string("comment") ?? null;
    const feedback =
      details?.oneOf("feedback", [
        "customer_service",
        "low_quality",
        "missing_features",
        "other",
        "switched_service",
        "too_complex",
        "too_expensive",
        "unused",
      ] as const) ?? null;
    details?.done();
    params.done();
    const subscription = mustFind(state.subscriptions, id, "subscription");
    // Cancelling is idempotent: a second cancel returns the subscription as it is.
    if (subscription.status === "canceled") return subscription;
    const now = nowSeconds();
    const canceled: FakeSubscription = {
      ...subscription,
      status: "canceled",
      canceled_at: now,
      ended_at: now,
      cancellation_details: { comment, feedback, feedback_option: null, reason: "cancellation_requested" },
    };
    state.subscriptions.set(id, canceled);
    return canceled;
  }),
];
