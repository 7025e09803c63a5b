// `line_items[i][price]` / `[quantity]` / `[price_data]` as payment links and
// checkout sessions take them, priced into Stripe's line item objects.
import { createPrice, createProduct, readCurrency, readRecurring, readUnitAmount } from "./catalog.ts";
import type { FakeLineItem, FakeList, FakePrice } from "./objects.ts";
import type { Params } from "./params.ts";
import { mustFind, newId, type FakeStripeState } from "./store.ts";
import { invalidParam, invalidRequest, missingParam } from "./stripe-errors.ts";

/** A price and how many of it, after validation. */
export interface PricedQuantity {
  price: FakePrice;
  quantity: number;
}

/**
 * Reads one `[price]` (an existing, active price) or `[price_data]` (an inline
 * price for `[product]`, or, where Stripe allows it, a new `[product_data][name]`).
 */
export function readPriceReference(state: FakeStripeState, item: Params, options: { productData: boolean }): FakePrice {
  const priceId = item.string("price");
  const priceData = item.hash("price_data");
  if (priceId !== undefined && priceData !== undefined)
    throw invalidRequest(
      `You may only specify one of these parameters: ${item.nameOf("price")}, ${item.nameOf("price_data")}.`,
      { param: item.nameOf("price") },
    );
  if (priceId !== undefined) {
    const price = mustFind(state.prices, priceId, "price", item.nameOf("price"));
    if (!price.active)
      throw invalidRequest(`The price \`${price.id}\` is not active, so it cannot be used.`, {
        param: item.nameOf("price"),
      });
    return price;
  }
  if (priceData === undefined) throw missingParam(item.nameOf("price"));
  const currency = readCurrency(priceData) ?? "";
  const unitAmount = readUnitAmount(priceData);
  const recurring = readRecurring(priceData.hash("recurring"));
  const productId = priceData.string("product");
  const productData = options.productData ? priceData.hash("product_data") : undefined;
  let product: string;
  if (productId !== undefined) {
    product = mustFind(state.products, productId, "product", priceData.nameOf("product")).id;
  } else if (productData !== undefined) {
    const name = productData.requiredString("name");
    const description = productData.string("description");
    productData.done();
    product = createProduct(state, name, description === undefined ? {} : { description }).id;
  } else {
    throw missingParam(priceData.nameOf("product"));
  }
  priceData.done();
  // Inline prices exist and can be retrieved, but are inactive so they are not reused.
  return createPrice(state, {
    active: false,
    currency,
    unit_amount: unitAmount,
    recurring,
    product,
    lookup_key: null,
    metadata: {},
    nickname: null,
    tax_behavior: "unspecified",
  });
}

/** Reads a required `line_items` list (1–`max` entries) whose prices share one currency. */
export function readLineItems(
  state: FakeStripeState,
  params: Params,
  key: string,
  options: { max: number; productData: boolean },
): PricedQuantity[] {
  const items = params.hashList(key);
  if (items === undefined || items.length === 0) throw missingParam(key);
  if (items.length > options.max)
    throw invalidParam(key, `You may only specify up to ${options.max} line items.`, "parameter_invalid_array");
  const priced = items.map((item) => {
    const price = readPriceReference(state, item, options);
    const quantity = item.requiredInteger("quantity");
    item.done();
    if (quantity < 1)
      throw invalidParam(
        item.nameOf("quantity"),
        "This value must be greater than or equal to 1.",
        "parameter_invalid_integer",
      );
    return { price, quantity };
  });
  const currencies = new Set(priced.map((item) => item.price.currency));
  if (currencies.size > 1) throw invalidRequest("All prices must use the same currency.", { param: key });
  return priced;
}

/** Stripe's line item objects for priced quantities, and their total. */
export function lineItemList(
  state: FakeStripeState,
  items: readonly PricedQuantity[],
  url: string,
): { list: FakeList<FakeLineItem>; total: number } {
  let total = 0;
  const data = items.map(({ price, quantity }): FakeLineItem => {
    const amount = (price.unit_amount ?? 0) * quantity;
    total += amount;
    return {
      id: newId("li"),
      object: "item",
      amount_subtotal: amount,
      amount_total: amount,
      currency: price.currency,
      description: state.products.get(price.product)?.name ?? null,
      quantity,
      price,
    };
  });
  return { list: { object: "list", data, has_more: false, url }, total };
}

/** `line_items` is includable: sent only when the caller asks with `expand[]=line_items`. */
export function withoutLineItemsUnlessExpanded<T extends { line_items: unknown }>(
  object: T,
  expand: readonly string[],
): T | Omit<T, "line_items"> {
  if (expand.some((path) => path === "line_items" || path.startsWith("line_items."))) return object;
  const { line_items: _hidden, ...rest } = object;
  return rest;
}
