// /v1/invoices as documents: create a draft (pulling in pending invoice items
// on request), retrieve, update, list, search and list its lines. Status
// changes (finalize, send, void) are in invoice-status.ts, paying in
// invoice-payments.ts, invoice items in invoice-items.ts.
import { readCurrency } from "./catalog.ts";
import { byCreated, linesPage, readCreatedFilter, searchPage } from "./listing.ts";
import type { FakeCustomer, FakeInvoice, FakeInvoiceLine, FakeInvoiceLineParent, FakePrice } from "./objects.ts";
import { applyMetadata, type Params } from "./params.ts";
import { route, type FakeRoute } from "./routing.ts";
import type { SearchFields } from "./search-query.ts";
import { listPage, mustFind, newId, nowSeconds, type FakeStripeState } from "./store.ts";
import { invalidParam, invalidRequest, missingParam } from "./stripe-errors.ts";

const DAY = 86_400;
const COLLECTION_METHODS = ["charge_automatically", "send_invoice"] as const;
type CollectionMethod = (typeof COLLECTION_METHODS)[number];

/** What opens a draft invoice; subscriptions pass their id and reason. */
export interface NewInvoice {
  customer: FakeCustomer;
  currency: string;
  collectionMethod: CollectionMethod;
  daysUntilDue: number | null;
  /** An explicit due date (Unix seconds); otherwise `daysUntilDue` after creation. */
  dueDate?: number | null;
  description: string | null;
  metadata: Record<string, string>;
  autoAdvance: boolean;
  billingReason: "manual" | "subscription_create" | "subscription_update";
  subscription: { id: string; metadata: Record<string, string> } | null;
}

/** Creates a draft invoice with no lines. */
export function createDraftInvoice(state: FakeStripeState, input: NewInvoice): FakeInvoice {
  const created = nowSeconds();
  const id = newId("in");
  const invoice: FakeInvoice = {
    id,
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
    due_date: input.dueDate ?? (input.daysUntilDue === null ? null : created + input.daysUntilDue * DAY),
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
    lines: { object: "list", data: [], has_more: false, url: `/v1/invoices/${id}/lines` },
  };
  state.invoices.set(id, invoice);
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
    parent: FakeInvoiceLineParent;
  },
): FakeInvoiceLine {
  const entry: FakeInvoiceLine = {
    id: newId("il"),
    object: "line_item",
    amount: line.amount,
    currency: invoice.currency,
    description: line.description,
    invoice: invoice.id,
    livemode: false,
    metadata: line.metadata,
    parent: line.parent,
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
  return entry;
}

/** `pending_invoice_items_behavior=include`: the customer's pending items in the invoice's currency become lines. */
/** A line's `parent` when an invoice item (not a subscription) made it. */
export function invoiceItemParent(invoiceItem: string): FakeInvoiceLineParent {
  return {
    type: "invoice_item_details",
    invoice_item_details: {
      invoice_item: invoiceItem,
      proration: false,
      proration_details: { credited_items: null },
      subscription: null,
    },
    subscription_item_details: null,
  };
}

function includePendingItems(state: FakeStripeState, invoice: FakeInvoice): void {
  for (const item of state.invoiceItems.values()) {
    if (item.customer !== invoice.customer || item.invoice !== null || item.currency !== invoice.currency) continue;
    item.invoice = invoice.id;
    const priceId = item.pricing?.price_details?.price;
    addInvoiceLine(invoice, {
      amount: item.amount,
      description: item.description,
      quantity: item.quantity,
      price: priceId === undefined ? null : (state.prices.get(priceId) ?? null),
      period: item.period,
      metadata: item.metadata ?? {},
      parent: invoiceItemParent(item.id),
    });
  }
}

/** Reads `days_until_due` / `due_date` for a `collection_method`, with Stripe's refusals. */
function readDue(params: Params, method: CollectionMethod): { daysUntilDue?: number; dueDate?: number } {
  const daysUntilDue = params.integer("days_until_due");
  const dueDate = params.integer("due_date");
  if (daysUntilDue !== undefined && dueDate !== undefined)
    throw invalidRequest("You may only specify one of these parameters: days_until_due, due_date.", {
      param: "days_until_due",
    });
  for (const [key, value] of [
    ["days_until_due", daysUntilDue],
    ["due_date", dueDate],
  ] as const) {
    if (value === undefined) continue;
    if (method !== "send_invoice")
      throw invalidParam(
        key,
        `You can only set \`${key}\` if \`collection_method\` is \`send_invoice\`.`,
        "parameter_invalid_integer",
      );
    if (value < 0)
      throw invalidParam(key, "This value must be greater than or equal to 0.", "parameter_invalid_integer");
  }
  return { ...(daysUntilDue !== undefined && { daysUntilDue }), ...(dueDate !== undefined && { dueDate }) };
}

/** The fields Stripe lets invoices be searched by. */
const searchFields: SearchFields<FakeInvoice> = {
  created: (invoice) => invoice.created,
  currency: (invoice) => invoice.currency,
  customer: (invoice) => invoice.customer,
  metadata: () => null,
  number: (invoice) => invoice.number,
  status: (invoice) => invoice.status,
  subscription: (invoice) => invoice.parent?.subscription_details.subscription ?? null,
  total: (invoice) => invoice.total,
};

/** Create, list, search, retrieve, update and list lines. */
export const invoiceRoutes: FakeRoute[] = [
  route("POST", "/v1/invoices", ({ state, params }) => {
    const customerId = params.requiredString("customer");
    const collectionMethod = params.oneOf("collection_method", COLLECTION_METHODS) ?? "charge_automatically";
    const due = readDue(params, collectionMethod);
    const currency = readCurrency(params, "currency", false);
    const input = {
      description: params.string("description") ?? null,
      metadata: applyMetadata({}, params.metadata()),
      autoAdvance: params.boolean("auto_advance") ?? false,
    };
    const pending = params.oneOf("pending_invoice_items_behavior", ["exclude", "include"] as const) ?? "exclude";
    params.done();
    if (collectionMethod === "send_invoice" && due.daysUntilDue === undefined && due.dueDate === undefined)
      throw missingParam("days_until_due");
    const customer = mustFind(state.customers, customerId, "customer", "customer");
    const invoice = createDraftInvoice(state, {
      ...input,
      customer,
      currency: currency ?? customer.currency ?? "usd",
      collectionMethod,
      daysUntilDue: due.daysUntilDue ?? null,
      dueDate: due.dueDate ?? null,
      billingReason: "manual",
      subscription: null,
    });
    if (pending === "include") includePendingItems(state, invoice);
    return invoice;
  }),

  route("GET", "/v1/invoices", ({ state, params }) => {
    const created = readCreatedFilter(params);
    const dueDate = readCreatedFilter(params, "due_date");
    const customer = params.string("customer");
    const collectionMethod = params.oneOf("collection_method", COLLECTION_METHODS);
    const status = params.oneOf("status", ["draft", "open", "paid", "uncollectible", "void"] as const);
    const subscription = params.string("subscription");
    const all = byCreated(state.invoices.values()).filter(
      (invoice) =>
        created(invoice.created) &&
        (!params.has("due_date") || (invoice.due_date !== null && dueDate(invoice.due_date))) &&
        (customer === undefined || invoice.customer === customer) &&
        (collectionMethod === undefined || invoice.collection_method === collectionMethod) &&
        (status === undefined || invoice.status === status) &&
        (subscription === undefined || invoice.parent?.subscription_details.subscription === subscription),
    );
    const page = listPage(all, params, "/v1/invoices", "invoice");
    params.done();
    return page;
  }),

  route("GET", "/v1/invoices/search", ({ state, params }) =>
    searchPage(byCreated(state.invoices.values()).reverse(), params, {
      resource: "invoices",
      url: "/v1/invoices/search",
      fields: searchFields,
    }),
  ),

  route("GET", "/v1/invoices/:id", ({ state, params, ids: [id = ""] }) => {
    params.done();
    return mustFind(state.invoices, id, "invoice");
  }),

  // Drafts are fully editable; finalized invoices keep their money and collection method;
  // paid and void ones only take metadata.
  route("POST", "/v1/invoices/:id", ({ state, params, ids: [id = ""] }) => {
    const invoice = mustFind(state.invoices, id, "invoice");
    const description = params.nullableString("description");
    const metadata = params.metadata();
    const autoAdvance = params.boolean("auto_advance");
    const collectionMethod = params.oneOf("collection_method", COLLECTION_METHODS);
    const method = collectionMethod ?? (invoice.collection_method as CollectionMethod);
    const due = readDue(params, method);
    params.done();
    const changesMoreThanMetadata =
      description !== undefined ||
      autoAdvance !== undefined ||
      collectionMethod !== undefined ||
      Object.keys(due).length > 0;
    if ((invoice.status === "paid" || invoice.status === "void") && changesMoreThanMetadata)
      throw invalidRequest(`This invoice is ${invoice.status}: only its metadata can be updated.`, {
        code: "invoice_not_editable",
      });
    if (collectionMethod !== undefined && collectionMethod !== invoice.collection_method && invoice.status !== "draft")
      throw invalidRequest("The collection_method of a finalized invoice cannot be changed.", {
        code: "invoice_not_editable",
        param: "collection_method",
      });
    if (method === "send_invoice" && invoice.due_date === null && Object.keys(due).length === 0)
      throw missingParam("days_until_due");
    invoice.metadata = applyMetadata(invoice.metadata ?? {}, metadata);
    if (description !== undefined) invoice.description = description;
    if (autoAdvance !== undefined) invoice.auto_advance = autoAdvance;
    invoice.collection_method = method;
    if (method === "charge_automatically") invoice.due_date = null;
    if (due.dueDate !== undefined) invoice.due_date = due.dueDate;
    if (due.daysUntilDue !== undefined) invoice.due_date = invoice.created + due.daysUntilDue * DAY;
    return invoice;
  }),

  route("GET", "/v1/invoices/:id/lines", ({ state, params, ids: [id = ""] }) => {
    const invoice = mustFind(state.invoices, id, "invoice");
    const page = linesPage(invoice.lines.data, params, `/v1/invoices/${id}/lines`, "line_item");
    params.done();
    return page;
  }),
];
