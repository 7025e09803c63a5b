// /v1/products and /v1/prices: what is sold, and for how much (once or per interval).
import type { FakePrice, FakeProduct, FakeRecurring } from "./objects.ts";
import { applyMetadata, type Params } from "./params.ts";
import { route, type FakeRoute } from "./routing.ts";
import { listPage, mustFind, newId, nowSeconds, type FakeStripeState } from "./store.ts";
import { invalidParam, invalidRequest, missingParam } from "./stripe-errors.ts";

const INTERVALS = ["day", "month", "week", "year"] as const;

/** What a caller decides about a new price; the rest Stripe derives. */
type NewPrice = Pick<
  FakePrice,
  | "active"
  | "currency"
  | "lookup_key"
  | "metadata"
  | "nickname"
  | "product"
  | "recurring"
  | "tax_behavior"
  | "unit_amount"
>;

/** Reads `currency`; Stripe takes any case and stores the lower-case ISO code. */
export function readCurrency(params: Params, key = "currency", required = true): string | undefined {
  const currency = required ? params.requiredString(key) : params.string(key);
  if (currency === undefined) return undefined;
  if (!/^[a-zA-Z]{3}$/.test(currency))
    throw invalidParam(
      params.nameOf(key),
      `Invalid currency: ${currency.toLowerCase()}. Stripe currently supports these currencies: usd, eur, gbp, …`,
      "parameter_invalid_string",
    );
  return currency.toLowerCase();
}

/** Reads `recurring[interval]` / `recurring[interval_count]`; absent means a one-time price. */
export function readRecurring(params: Params | undefined): FakeRecurring | null {
  if (params === undefined) return null;
  const interval = params.oneOf("interval", INTERVALS);
  if (interval === undefined) throw missingParam(params.nameOf("interval"));
  const intervalCount = params.integer("interval_count") ?? 1;
  params.done();
  if (intervalCount < 1 || (interval === "year" && intervalCount > 3) || intervalCount > 36) {
    throw invalidParam(
      params.nameOf("interval_count"),
      "The maximum billing interval is three years (3 years, 36 months, or 156 weeks).",
      "parameter_invalid_integer",
    );
  }
  return { interval, interval_count: intervalCount, meter: null, usage_type: "licensed" };
}

/** Reads a required, non-negative `unit_amount` in the smallest currency unit. */
export function readUnitAmount(params: Params): number {
  const amount = params.integer("unit_amount");
  if (amount === undefined) throw missingParam(params.nameOf("unit_amount"));
  if (amount < 0)
    throw invalidParam(
      params.nameOf("unit_amount"),
      "This value must be greater than or equal to 0.",
      "parameter_invalid_integer",
    );
  return amount;
}

/** Stores a new price; shared by POST /v1/prices and products' `default_price_data`. */
export function createPrice(state: FakeStripeState, fields: NewPrice): FakePrice {
  const price: FakePrice = {
    id: newId("price"),
    object: "price",
    active: fields.active,
    billing_scheme: "per_unit",
    created: nowSeconds(),
    currency: fields.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: fields.lookup_key,
    metadata: fields.metadata,
    nickname: fields.nickname,
    product: fields.product,
    recurring: fields.recurring,
    tax_behavior: fields.tax_behavior,
    tiers_mode: null,
    transform_quantity: null,
    type: fields.recurring === null ? "one_time" : "recurring",
    unit_amount: fields.unit_amount,
    unit_amount_decimal: fields.unit_amount === null ? null : String(fields.unit_amount),
  };
  state.prices.set(price.id, price);
  return price;
}

/** Stores a new product; shared by POST /v1/products and inline `product_data`. */
export function createProduct(
  state: FakeStripeState,
  name: string,
  fields: Partial<Pick<FakeProduct, "active" | "description" | "images" | "metadata" | "url">> = {},
): FakeProduct {
  const created = nowSeconds();
  const product: FakeProduct = {
    id: newId("prod", 14),
    object: "product",
    active: fields.active ?? true,
    created,
    default_price: null,
    description: fields.description ?? null,
    images: fields.images ?? [],
    livemode: false,
    marketing_features: [],
    metadata: fields.metadata ?? {},
    name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    type: "service",
    unit_label: null,
    updated: created,
    url: fields.url ?? null,
  };
  state.products.set(product.id, product);
  return product;
}

/** Products and prices: create, list, retrieve. */
export const catalogRoutes: FakeRoute[] = [
  route("POST", "/v1/products", ({ state, params }) => {
    const name = params.requiredString("name");
    const fields = {
      active: params.boolean("active"),
      description: params.string("description"),
      images: params.stringList("images"),
      url: params.string("url"),
      metadata: applyMetadata({}, params.metadata()),
    };
    const priceData = params.hash("default_price_data");
    let defaultPrice: { currency: string; unit_amount: number; recurring: FakeRecurring | null } | undefined;
    if (priceData !== undefined) {
      defaultPrice = {
        currency: readCurrency(priceData) ?? "",
        unit_amount: readUnitAmount(priceData),
        recurring: readRecurring(priceData.hash("recurring")),
      };
      priceData.done();
    }
    params.done();
    const product = createProduct(state, name, fields);
    if (defaultPrice !== undefined) {
      const price = createPrice(state, {
        ...defaultPrice,
        active: true,
        lookup_key: null,
        metadata: {},
        nickname: null,
        product: product.id,
        tax_behavior: "unspecified",
      });
      product.default_price = price.id;
    }
    return product;
  }),

  route("GET", "/v1/products", ({ state, params }) => {
    const active = params.boolean("active");
    const ids = params.stringList("ids");
    const all = [...state.products.values()].filter(
      (product) =>
        (active === undefined || product.active === active) && (ids === undefined || ids.includes(product.id)),
    );
    const page = listPage(all, params, "/v1/products", "product");
    params.done();
    return page;
  }),

  route("GET", "/v1/products/:id", ({ state, params, ids: [id = ""] }) => {
    params.done();
    return mustFind(state.products, id, "product");
  }),

  route("POST", "/v1/prices", ({ state, params }) => {
    const currency = readCurrency(params) ?? "";
    const unitAmount = readUnitAmount(params);
    const productId = params.string("product");
    const productData = params.hash("product_data");
    if (productId !== undefined && productData !== undefined)
      throw invalidRequest("You may only specify one of these parameters: product, product_data.", {
        param: "product",
      });
    const lookupKey = params.string("lookup_key") ?? null;
    const transferLookupKey = params.boolean("transfer_lookup_key") ?? false;
    const fields = {
      active: params.boolean("active") ?? true,
      nickname: params.string("nickname") ?? null,
      metadata: applyMetadata({}, params.metadata()),
      recurring: readRecurring(params.hash("recurring")),
      tax_behavior: params.oneOf("tax_behavior", ["exclusive", "inclusive", "unspecified"] as const) ?? "unspecified",
    };
    let productName: string | undefined;
    if (productData !== undefined) {
      productName = productData.requiredString("name");
      productData.done();
    }
    params.done();
    if (productId === undefined && productName === undefined) throw missingParam("product");
    if (productId !== undefined) mustFind(state.products, productId, "product", "product");
    const owner = [...state.prices.values()].find((price) => lookupKey !== null && price.lookup_key === lookupKey);
    if (owner !== undefined) {
      if (!transferLookupKey)
        throw invalidRequest(`A price (\`${owner.id}\`) already uses that lookup key.`, { param: "lookup_key" });
      owner.lookup_key = null;
    }
    const product = productId ?? createProduct(state, productName ?? "").id;
    return createPrice(state, { ...fields, currency, unit_amount: unitAmount, lookup_key: lookupKey, product });
  }),

  route("GET", "/v1/prices", ({ state, params }) => {
    const active = params.boolean("active");
    const product = params.string("product");
    const type = params.oneOf("type", ["one_time", "recurring"] as const);
    const currency = readCurrency(params, "currency", false);
    const lookupKeys = params.stringList("lookup_keys");
    const all = [...state.prices.values()].filter(
      (price) =>
        (active === undefined || price.active === active) &&
        (product === undefined || price.product === product) &&
        (type === undefined || price.type === type) &&
        (currency === undefined || price.currency === currency) &&
        (lookupKeys === undefined || (price.lookup_key !== null && lookupKeys.includes(price.lookup_key))),
    );
    const page = listPage(all, params, "/v1/prices", "price");
    params.done();
    return page;
  }),

  route("GET", "/v1/prices/:id", ({ state, params, ids: [id = ""] }) => {
    params.done();
    return mustFind(state.prices, id, "price");
  }),
];
