// /v1/invoices (create a draft, finalize, retrieve, list) and /v1/invoiceitems
// (the lines of a draft). Subscriptions open their invoices through here too.
import type { FakeCustomer, FakeInvoice, FakeInvoiceItem, FakeInvoiceLine, FakePrice } from "./objects.ts";
import { applyMetadata } from "./params.ts";
import { readCurrency } from "./catalog.ts";
import { route, type FakeRoute } from "./routing.ts";
import { listPage, mustFind, newId, nowSeconds, type FakeStripeState } from "./store.ts";
import { invalidParam, invalidRequest, missingParam } from "./stripe-errors.ts";

const DAY = 86_400;

/** What opens a draft invoice; subscriptions pass their id and reason. */
export interface NewInvoice {
  customer: FakeCustomer;
  currency: string;
  collectionMethod: "charge_automatically" | "send_invoice";
  daysUntilDue: number | null;
  description: string | null;
  metadata: Record<string, string>;
  autoAdvance: boolean;
  billingReason: "manual" | "subscription_create" | "subscription_update";
  subscription: { id: string; metadata: Record<string, string> } | null;
}

/** Creates a draft invoice with no lines. */
export function createDraftInvoice(state: FakeStripeState, input: NewInvoice): FakeInvoice {
  const created = nowSeconds();
  const invoice: FakeInvoice = {
    id: newId("in"),
    object: "invoice",
    amount_due: 0,
    amount_paid: 0,
    amount_remaining: 0,
    attempt_count: 0,
    attempted: false,
    auto_advance: input.autoAdvance,
    billing_reason: input.billingReason,
    collection_method: input.collectionMethod,
    created,
    currency: input.currency,
    customer: input.customer.id,
    customer_email: input.customer.email,
    customer_name: input.customer.name ?? null,
    description: input.description,
    due_date: input.daysUntilDue === null ? null : created + input.daysUntilDue * DAY,
    hosted_invoice_url: null,
    invoice_pdf: null,
    livemode: false,
    metadata: input.metadata,
    number: null,
    parent:
      input.subscription === null
        ? null
        : {
            type: "subscription_details",
            subscription_details: { subscription: input.subscription.id, metadata: input.subscription.metadata },
          },
    period_end: created,
    period_start: created,
    status: "draft",
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: 0,
    total: 0,
    lines: { object: "list", data: [], has_more: false, url: "" },
  };
  invoice.lines.url = `/v1/invoices/${invoice.id}/lines`;
  state.invoices.set(invoice.id, invoice);
  return invoice;
}

/** Adds a line to a draft and recomputes its totals. */
export function addInvoiceLine(
  invoice: FakeInvoice,
  line: {
    amount: number;
    description: string | null;
    quantity: number;
    price: FakePrice | null;
    period: { start: number; end: number };
    metadata: Record<string, string>;
  },
): void {
  const entry: FakeInvoiceLine = {
    id: newId("il"),
    object: "line_item",
    amount: line.amount,
    currency: invoice.currency,
    description: line.description,
    invoice: invoice.id,
    livemode: false,
    metadata: line.metadata,
    period: line.period,
    pricing:
      line.price === null
        ? null
        : {
            type: "price_details",
            price_details: { price: line.price.id, product: line.price.product },
            unit_amount_decimal: String(line.price.unit_amount ?? 0),
          },
    quantity: line.quantity,
    subtotal: line.amount,
  };
  invoice.lines.data.push(entry);
  invoice.subtotal =
    invoice.total =
    invoice.amount_due =
      invoice.lines.data.reduce((sum, item) => sum + item.amount, 0);
  invoice.amount_remaining = invoice.amount_due - invoice.amount_paid;
}

/** Draft → open (numbered, with its hosted page); a zero total is paid at once, as Stripe does. */
export function finalizeInvoice(state: FakeStripeState, invoice: FakeInvoice, customer: FakeCustomer): void {
  if (invoice.status !== "draft")
    throw invalidRequest("This invoice is already finalized, you can't re-finalize a non-draft invoice.", {
      code: "invoice_not_editable",
    });
  const now = nowSeconds();
  state.invoiceCount += 1;
  invoice.status = "open";
  invoice.number = `${customer.invoice_prefix ?? "INV"}-${String(state.invoiceCount).padStart(4, "0")}`;
  invoice.hosted_invoice_url = `https://invoice.stripe.com/i/acct_fake/test_${invoice.id}`;
  invoice.invoice_pdf = `https://pay.stripe.com/invoice/acct_fake/test_${invoice.id}/pdf`;
  invoice.status_transitions.finalized_at = now;
  if (invoice.total === 0) markInvoicePaid(invoice);
}

/** Records full payment of an open invoice. */
export function markInvoicePaid(invoice: FakeInvoice): void {
  invoice.status = "paid";
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.attempted = invoice.total > 0;
  invoice.attempt_count = invoice.total > 0 ? 1 : 0;
  invoice.status_transitions.paid_at = nowSeconds();
}

export const invoiceRoutes: FakeRoute[] = [
  route("POST", "/v1/invoices", ({ state, params }) => {
    const customerId = params.requiredString("customer");
    const collectionMethod =
      params.oneOf("collection_method", ["charge_automatically", "send_invoice"] as const) ?? "charge_automatically";
    const daysUntilDue = params.integer("days_until_due") ?? null;
    const currency = readCurrency(params, "currency", false);
    const input = {
      description: params.string("description") ?? null,
      metadata: applyMetadata({}, params.metadata()),
      autoAdvance: params.boolean("auto_advance") ?? false,
    };
    const pending = params.oneOf("pending_invoice_items_behavior", ["exclude", "include"] as const) ?? "exclude";
    params.done();
    if (collectionMethod === "send_invoice" && daysUntilDue === null) throw missingParam("days_until_due");
    if (collectionMethod === "charge_automatically" && daysUntilDue !== null)
      throw invalidParam(
        "days_until_due",
        "You can only set `days_until_due` if `collection_method` is `send_invoice`.",
        "parameter_invalid_integer",
      );
    const customer = mustFind(state.customers, customerId, "customer", "customer");
    const invoice = createDraftInvoice(state, {
      ...input,
      customer,
      currency: currency ?? customer.currency ?? "usd",
      collectionMethod,
      daysUntilDue,
      billingReason: "manual",
      subscription: null,
    });
    if (pending === "include") {
      for (const item of state.invoiceItems.values()) {
        if (item.customer !== customer.id || item.invoice !== null || item.currency !== invoice.currency) continue;
        item.invoice = invoice.id;
        addInvoiceLine(invoice, {
          amount: item.amount,
          description: item.description,
          quantity: item.quantity,
          price: null,
          period: item.period,
          metadata: item.metadata ?? {},
        });
      }
    }
    return invoice;
  }),

  route("GET", "/v1/invoices", ({ state, params }) => {
    const customer = params.string("customer");
    const status = params.oneOf("status", ["draft", "open", "paid", "uncollectible", "void"] as const);
    const subscription = params.string("subscription");
    const all = [...state.invoices.values()].filter(
      (invoice) =>
        (customer === undefined || invoice.customer === customer) &&
        (status === undefined || invoice.status === status) &&
        (subscription === undefined || invoice.parent?.subscription_details.subscription === subscription),
    );
    const page = listPage(all, params, "/v1/invoices", "invoice");
    params.done();
    return page;
  }),

  route("GET", "/v1/invoices/:id", ({ state, params, ids: [id = ""] }) => {
    params.done();
    return mustFind(state.invoices, id, "invoice");
  }),

  route("POST", "/v1/invoices/:id/finalize", ({ state, params, ids: [id = ""] }) => {
    const autoAdvance = params.boolean("auto_advance");
    params.done();
    const invoice = mustFind(state.invoices, id, "invoice");
    if (autoAdvance !== undefined) invoice.auto_advance = autoAdvance;
    finalizeInvoice(state, invoice, mustFind(state.customers, invoice.customer, "customer"));
    return invoice;
  }),

  route("POST", "/v1/invoiceitems", ({ state, params }) => {
    const customerId = params.requiredString("customer");
    const invoiceId = params.string("invoice");
    const pricing = params.hash("pricing");
    const amount = params.integer("amount");
    const currency = readCurrency(params, "currency", false);
    const quantity = params.integer("quantity") ?? 1;
    const description = params.string("description") ?? null;
    const metadata = applyMetadata({}, params.metadata());
    let price: FakePrice | null = null;
    if (pricing !== undefined) {
      price = mustFind(state.prices, pricing.requiredString("price"), "price", "pricing[price]");
      pricing.done();
    }
    params.done();
    const customer = mustFind(state.customers, customerId, "customer", "customer");
    if (price === null && amount === undefined) throw missingParam("amount");
    if (price !== null && amount !== undefined)
      throw invalidRequest("You may only specify one of these parameters: amount, pricing.", { param: "amount" });
    if (price === null && currency === undefined) throw missingParam("currency");
    const invoice = invoiceId === undefined ? null : mustFind(state.invoices, invoiceId, "invoice", "invoice");
    if (invoice !== null && invoice.status !== "draft")
      throw invalidRequest(`Invoice \`${invoice.id}\` is no longer a draft, so items cannot be added to it.`, {
        param: "invoice",
      });
    if (invoice !== null && invoice.customer !== customer.id)
      throw invalidRequest("The invoice belongs to a different customer.", { param: "invoice" });
    const itemCurrency = price?.currency ?? currency ?? "usd";
    if (invoice !== null && invoice.currency !== itemCurrency)
      throw invalidRequest(
        `The currency of this item (${itemCurrency}) does not match the invoice currency (${invoice.currency}).`,
        { param: "currency" },
      );
    const now = nowSeconds();
    const total = price === null ? (amount ?? 0) : (price.unit_amount ?? 0) * quantity;
    const item: FakeInvoiceItem = {
      id: newId("ii"),
      object: "invoiceitem",
      amount: total,
      currency: itemCurrency,
      customer: customer.id,
      date: now,
      description,
      invoice: invoice?.id ?? null,
      livemode: false,
      metadata,
      period: { start: now, end: now },
      pricing:
        price === null
          ? null
          : {
              type: "price_details",
              price_details: { price: price.id, product: price.product },
              unit_amount_decimal: String(price.unit_amount ?? 0),
            },
      proration: false,
      quantity,
    };
    state.invoiceItems.set(item.id, item);
    if (invoice !== null)
      addInvoiceLine(invoice, { amount: total, description, quantity, price, period: item.period, metadata });
    return item;
  }),
];
