// /v1/invoiceitems: charges waiting to be billed. With `invoice` an item is a
// line of that draft at once; without, it stays pending until an invoice is
// created with `pending_invoice_items_behavior=include`. Priced by `amount` +
// `currency`, by `pricing[price]` (an existing one-time price) or by
// `price_data`; the top-level `price` param left the API in 2025-03-31.basil
// and is refused as unknown, as Stripe does at the pinned version.
import { createPrice, readCurrency, readUnitAmount } from "./catalog.ts";
import { addInvoiceLine, invoiceItemParent } from "./invoices.ts";
import { readCreatedFilter } from "./listing.ts";
import type { FakeInvoiceItem, FakePrice } from "./objects.ts";
import { applyMetadata, type Params } from "./params.ts";
import { route, type FakeRoute } from "./routing.ts";
import { listPage, mustFind, newId, nowSeconds, type FakeStripeState } from "./store.ts";
import { invalidParam, invalidRequest, missingParam } from "./stripe-errors.ts";

/** The price an item is billed at: `pricing[price]` or an inline `price_data`, if either was sent. */
function readItemPrice(state: FakeStripeState, params: Params): FakePrice | null {
  const pricing = params.hash("pricing");
  const priceData = params.hash("price_data");
  if (pricing !== undefined && priceData !== undefined)
    throw invalidRequest("You may only specify one of these parameters: pricing, price_data.", { param: "pricing" });
  if (pricing !== undefined) {
    const price = mustFind(state.prices, pricing.requiredString("price"), "price", "pricing[price]");
    pricing.done();
    if (price.type === "recurring")
      throw invalidRequest(
        "The price specified is set to `type=recurring` but this field only accepts prices with `type=one_time`.",
        { param: "pricing[price]" },
      );
    return price;
  }
  if (priceData === undefined) return null;
  const currency = readCurrency(priceData) ?? "";
  const product = mustFind(state.products, priceData.requiredString("product"), "product", "price_data[product]");
  const unitAmount = readUnitAmount(priceData);
  priceData.oneOf("tax_behavior", ["exclusive", "inclusive", "unspecified"] as const);
  priceData.done();
  // Like Checkout's inline prices: a price that exists and can be retrieved, but is not offered for reuse.
  return createPrice(state, {
    active: false,
    currency,
    unit_amount: unitAmount,
    recurring: null,
    product: product.id,
    lookup_key: null,
    metadata: {},
    nickname: null,
    tax_behavior: "unspecified",
  });
}

function readPeriod(params: Params | undefined, now: number): { start: number; end: number } {
  if (params === undefined) return { start: now, end: now };
  const period = { start: params.requiredInteger("start"), end: params.requiredInteger("end") };
  params.done();
  if (period.end < period.start)
    throw invalidParam(
      "period[end]",
      "The period end must be on or after the period start.",
      "parameter_invalid_integer",
    );
  return period;
}

/** Create (pending or on a draft), list and retrieve. */
export const invoiceItemRoutes: FakeRoute[] = [
  route("POST", "/v1/invoiceitems", ({ state, params }) => {
    const customerId = params.requiredString("customer");
    const invoiceId = params.string("invoice");
    const price = readItemPrice(state, params);
    const amount = params.integer("amount");
    const currency = readCurrency(params, "currency", false);
    const quantity = params.integer("quantity") ?? 1;
    const now = nowSeconds();
    const period = readPeriod(params.hash("period"), now);
    const metadata = applyMetadata({}, params.metadata());
    params.boolean("discountable"); // The fake has no discounts to apply or withhold.
    let description = params.string("description") ?? null;
    params.done();
    const customer = mustFind(state.customers, customerId, "customer", "customer");
    if (price === null && amount === undefined) throw missingParam("amount");
    if (price !== null && amount !== undefined)
      throw invalidRequest("You may only specify one of these parameters: amount, pricing.", { param: "amount" });
    if (price === null && currency === undefined) throw missingParam("currency");
    if (price !== null && currency !== undefined && currency !== price.currency)
      throw invalidRequest(
        `The currency of the price (${price.currency}) does not match the currency provided (${currency}).`,
        { param: "currency" },
      );
    if (quantity < 0)
      throw invalidParam("quantity", "This value must be greater than or equal to 0.", "parameter_invalid_integer");
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
    // Stripe describes a priced item by its product's name unless told otherwise.
    if (description === null && price !== null) description = state.products.get(price.product)?.name ?? null;
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
      period,
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
    if (invoice !== null) {
      addInvoiceLine(invoice, {
        amount: total,
        description,
        quantity,
        price,
        period,
        metadata,
        parent: invoiceItemParent(item.id),
      });
    }
    return item;
  }),

  route("GET", "/v1/invoiceitems", ({ state, params }) => {
    const created = readCreatedFilter(params);
    const customer = params.string("customer");
    const invoice = params.string("invoice");
    const pending = params.boolean("pending");
    // Items are stored as they are made, so in `date` order.
    const all = [...state.invoiceItems.values()].filter(
      (item) =>
        created(item.date) &&
        (customer === undefined || item.customer === customer) &&
        (invoice === undefined || item.invoice === invoice) &&
        (pending === undefined || (item.invoice === null) === pending),
    );
    const page = listPage(all, params, "/v1/invoiceitems", "invoiceitem");
    params.done();
    return page;
  }),

  route("GET", "/v1/invoiceitems/:id", ({ state, params, ids: [id = ""] }) => {
    params.done();
    return mustFind(state.invoiceItems, id, "invoiceitem");
  }),
];
