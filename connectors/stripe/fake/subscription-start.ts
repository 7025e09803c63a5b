// Starting a subscription, as `POST /v1/subscriptions` and a paid subscription
// checkout both do: its items and billing period, and its first invoice,
// finalized and paid by card, sent, or left open as Stripe decides.
import { finalizeInvoice, markInvoicePaid } from "./invoice-status.ts";
import { addInvoiceLine, createDraftInvoice } from "./invoices.ts";
import type { PricedQuantity } from "./line-items.ts";
import type { FakeCustomer, FakeRecurring, FakeSubscription, FakeSubscriptionItem } from "./objects.ts";
import { newId, nowSeconds, type FakeStripeState } from "./store.ts";
import { invalidRequest, missingParam, noPaymentMethod } from "./stripe-errors.ts";

const DAY = 86_400;

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

/** The recurrence of a subscription item's price; one-time prices are refused as Stripe does. */
export function recurringOf(item: PricedQuantity, param: string): FakeRecurring {
  if (item.price.recurring === null)
    throw invalidRequest(
      "The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.",
      { param },
    );
  return item.price.recurring;
}

/** A subscription item for the period `start`–`end`. */
export function subscriptionItem(
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
    throw noPaymentMethod();
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
  for (const [index, item] of input.items.entries()) {
    const amount = trialEnd === null ? (item.price.unit_amount ?? 0) * item.quantity : 0;
    const name = state.products.get(item.price.product)?.name ?? "Subscription";
    addInvoiceLine(invoice, {
      amount,
      description: `${item.quantity} × ${name}${trialEnd === null ? "" : " (trial)"}`,
      quantity: item.quantity,
      price: item.price,
      period: { start, end },
      metadata: {},
      parent: {
        type: "subscription_item_details",
        invoice_item_details: null,
        subscription_item_details: {
          invoice_item: null,
          proration: false,
          proration_details: { credited_items: null },
          subscription: id,
          subscription_item: subscription.items.data[index]?.id ?? "",
        },
      },
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
