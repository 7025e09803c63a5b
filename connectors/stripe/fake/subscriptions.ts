// /v1/subscriptions: create (started in subscription-start.ts, with its first
// invoice), retrieve, update, cancel, list.
import { readPriceReference } from "./line-items.ts";
import type { FakeSubscription } from "./objects.ts";
import { applyMetadata, type Params } from "./params.ts";
import { route, type FakeRoute } from "./routing.ts";
import { listPage, mustFind, nowSeconds } from "./store.ts";
import { invalidParam, invalidRequest, missingParam } from "./stripe-errors.ts";
import { recurringOf, startSubscription, subscriptionItem } from "./subscription-start.ts";

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

function readItems(params: Params): Params[] | undefined {
  const items = params.hashList("items");
  if (items !== undefined && items.length > 20)
    throw invalidParam("items", "You may only specify up to 20 items.", "parameter_invalid_array");
  return items;
}

/** Create, list, retrieve, update and cancel. */
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
