// The fake's in-memory Stripe account: every object by id, Stripe-style ids,
// cursor pagination (`starting_after` / `ending_before`) and `expand[]`.
import type {
  FakeCheckoutSession,
  FakeCustomer,
  FakeInvoice,
  FakeInvoiceItem,
  FakeList,
  FakePaymentLink,
  FakePrice,
  FakeProduct,
  FakeSubscription,
} from "./objects.ts";
import type {
  FakeBalanceTransaction,
  FakeCharge,
  FakeInvoicePayment,
  FakePaymentIntent,
  FakeRefund,
} from "./payment-objects.ts";
import type { Params } from "./params.ts";
import { invalidParam, noSuch } from "./stripe-errors.ts";

/** An invoice email Stripe sent: the invoice as it was then, to whom, and when. */
export interface SentInvoice {
  invoice: FakeInvoice;
  to: string | null;
  sent_at: number;
}

/** Everything the fake account holds. Maps keep creation order. */
export interface FakeStripeState {
  customers: Map<string, FakeCustomer>;
  /** Ids of deleted customers: retrieving one answers Stripe's `deleted: true` stub. */
  deletedCustomers: Set<string>;
  products: Map<string, FakeProduct>;
  prices: Map<string, FakePrice>;
  paymentLinks: Map<string, FakePaymentLink>;
  checkoutSessions: Map<string, FakeCheckoutSession>;
  /** A session's `subscription_data`, kept for when it completes (Stripe does not echo it). */
  checkoutSubscriptionData: Map<string, { trialPeriodDays: number | null; metadata: Record<string, string> }>;
  subscriptions: Map<string, FakeSubscription>;
  invoices: Map<string, FakeInvoice>;
  invoiceItems: Map<string, FakeInvoiceItem>;
  invoicePayments: Map<string, FakeInvoicePayment>;
  /** Every invoice email, oldest first (`GET /__fake/invoices/sent`). */
  sentInvoices: SentInvoice[];
  paymentIntents: Map<string, FakePaymentIntent>;
  charges: Map<string, FakeCharge>;
  balanceTransactions: Map<string, FakeBalanceTransaction>;
  refunds: Map<string, FakeRefund>;
  /** Invoice numbers are `<prefix>-0001`, counted per account here. */
  invoiceCount: number;
}

/** An account with nothing in it yet. */
export function emptyState(): FakeStripeState {
  return {
    customers: new Map(),
    deletedCustomers: new Set(),
    products: new Map(),
    prices: new Map(),
    paymentLinks: new Map(),
    checkoutSessions: new Map(),
    checkoutSubscriptionData: new Map(),
    subscriptions: new Map(),
    invoices: new Map(),
    invoiceItems: new Map(),
    invoicePayments: new Map(),
    sentInvoices: [],
    paymentIntents: new Map(),
    charges: new Map(),
    balanceTransactions: new Map(),
    refunds: new Map(),
    invoiceCount: 0,
  };
}

const ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A random id like Stripe's: `cus_NffrFeUfNV2Hib`, `price_1MoBy5LkdIwHu7ixZhnattbh`. */
export function newId(prefix: string, length = 24): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let id = "";
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return `${prefix}_${id}`;
}

/** Stripe timestamps are Unix seconds. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Looks an object up by id or answers Stripe's 404 ("No such price: 'price_x'"). */
export function mustFind<T>(map: Map<string, T>, id: string, resource: string, param = "id"): T {
  const found = map.get(id);
  if (found === undefined) throw noSuch(resource, id, param);
  return found;
}

/**
 * One page of a list endpoint, newest first like Stripe. Reads `limit`
 * (1–100, default 10), `starting_after` and `ending_before` from `params`.
 */
export function listPage<T extends { id: string }>(
  all: Iterable<T>,
  params: Params,
  url: string,
  resource: string,
): FakeList<T> {
  const limit = params.integer("limit") ?? 10;
  if (limit < 1 || limit > 100)
    throw invalidParam("limit", "Invalid limit: must be between 1 and 100", "parameter_invalid_integer");
  const startingAfter = params.string("starting_after");
  const endingBefore = params.string("ending_before");
  const newestFirst = [...all].reverse();
  if (startingAfter !== undefined) {
    const index = newestFirst.findIndex((item) => item.id === startingAfter);
    if (index === -1) throw noSuch(resource, startingAfter, "starting_after");
    const rest = newestFirst.slice(index + 1);
    return { object: "list", data: rest.slice(0, limit), has_more: rest.length > limit, url };
  }
  if (endingBefore !== undefined) {
    const index = newestFirst.findIndex((item) => item.id === endingBefore);
    if (index === -1) throw noSuch(resource, endingBefore, "ending_before");
    const before = newestFirst.slice(0, index);
    return {
      object: "list",
      data: before.slice(Math.max(before.length - limit, 0)),
      has_more: before.length > limit,
      url,
    };
  }
  return { object: "list", data: newestFirst.slice(0, limit), has_more: newestFirst.length > limit, url };
}

/** Which map an id belongs to, by its prefix; used by `expand[]`. */
function findById(state: FakeStripeState, id: string): object | undefined {
  const [prefix] = id.split("_", 1);
  switch (prefix) {
    case "cus":
      return state.customers.get(id);
    case "prod":
      return state.products.get(id);
    case "price":
      return state.prices.get(id);
    case "plink":
      return state.paymentLinks.get(id);
    case "cs":
      return state.checkoutSessions.get(id);
    case "sub":
      return state.subscriptions.get(id);
    case "in":
      return state.invoices.get(id);
    case "ii":
      return state.invoiceItems.get(id);
    case "inpay":
      return state.invoicePayments.get(id);
    case "pi":
      return state.paymentIntents.get(id);
    case "ch":
      return state.charges.get(id);
    case "txn":
      return state.balanceTransactions.get(id);
    case "re":
      return state.refunds.get(id);
    default:
      return undefined;
  }
}

/**
 * Applies `expand[]` paths ("customer", "latest_invoice.payment_intent",
 * "data.customer" on lists): each named id field becomes the object it names.
 */
export function expand(state: FakeStripeState, value: unknown, paths: readonly string[]): unknown {
  let result = value;
  for (const path of paths) result = expandPath(state, result, path.split("."));
  return result;
}

function expandPath(state: FakeStripeState, value: unknown, segments: string[]): unknown {
  const [head, ...rest] = segments;
  if (head === undefined || typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => expandPath(state, item, segments));
  const record = value as Record<string, unknown>;
  if (!(head in record))
    throw invalidParam("expand", `This property cannot be expanded (${head}).`, "parameter_invalid_string");
  let field = record[head];
  if (typeof field === "string") field = findById(state, field) ?? field;
  return { ...record, [head]: rest.length > 0 ? expandPath(state, field, rest) : field };
}
