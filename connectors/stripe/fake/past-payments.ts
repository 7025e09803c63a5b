// `POST /__fake/payments`: seeds payments that happened in the past, so a test
// can say "these people paid yesterday" and then read them back through the
// API (charges, payment intents, balance transactions, checkout sessions).
//
// Body (JSON):
//   { "account"?: "<secret key>",
//     "payments": [{ "amount": 2500, "currency"?: "usd", "created": 1767225600,
//                    "email"?: "ann@example.com", "customer"?: "cus_…", "description"?: "…",
//                    "payment_link"?: "plink_…", "metadata"?: { "k": "v" } }] }
//
// Each payment is a paid Checkout session (mode "payment") opened and completed
// at `created` (Unix seconds): the session (with `payment_link` when given, and
// `customer_details.email`), its succeeded payment intent, charge and balance
// transaction (fee: balance-transactions.ts) all carry that date. `amount` may be
// left out with a `payment_link`: the link's total is paid, with its line items;
// otherwise the session has one line (an inactive product named `description`
// or "Payment"). `email` is the payer's: the customer's own when `customer` is
// given, buyer@example.com when neither is (Checkout always collects one). A
// link whose customer_creation is "always" makes a customer, dated `created`.
// `description` and `metadata` go on the payment intent and charge, `metadata`
// on the session too.
//
// `account` names the account by one of its keys; the fake holds one account
// (credentials.ts), so it must be that account's secret or restricted key.
// The whole request is checked before anything is stored.
// Answers `{ payments: [{ checkout_session, payment_intent, charge, balance_transaction, customer }] }`
// (ids, in request order), or 400 `{ error: { type, message } }`.
import { createPrice, createProduct } from "./catalog.ts";
import { openCheckoutSession } from "./checkout.ts";
import { completeCheckoutSession } from "./checkout-completion.ts";
import { FAKE_STRIPE_RESTRICTED_KEY, FAKE_STRIPE_SECRET_KEY } from "./credentials.ts";
import type { PricedQuantity } from "./line-items.ts";
import type { FakeCustomer, FakePaymentLink } from "./objects.ts";
import type { FakeStripeState } from "./store.ts";
import { maskKey } from "./stripe-errors.ts";

/** The ids a seeded payment was stored under. */
export interface SeededPayment {
  checkout_session: string;
  payment_intent: string | null;
  charge: string | null;
  balance_transaction: string | null;
  customer: string | null;
}

/** One payment of the request, checked against the account. */
interface PastPayment {
  amount: number | undefined;
  currency: string | undefined;
  created: number;
  email: string | null;
  customer: FakeCustomer | undefined;
  description: string | null;
  link: FakePaymentLink | undefined;
  metadata: Record<string, string>;
}

const FIELDS = new Set([
  "amount",
  "currency",
  "created",
  "email",
  "customer",
  "description",
  "payment_link",
  "metadata",
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalString(entry: Record<string, unknown>, key: string, where: string): string | undefined {
  const value = entry[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value === "") throw new Error(`${where}.${key}: a non-empty string`);
  return value;
}

function isWholeNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((item) => typeof item === "string");
}

/** Reads and checks one entry of `payments`; throws an Error saying what is wrong. */
function readPayment(state: FakeStripeState, entry: unknown, where: string): PastPayment {
  if (!isRecord(entry)) throw new Error(`${where}: an object`);
  const unknown = Object.keys(entry).find((key) => !FIELDS.has(key));
  if (unknown !== undefined) throw new Error(`${where}.${unknown}: not a field (${[...FIELDS].join(", ")})`);
  const { amount, created, metadata } = entry;
  if (amount !== undefined && !(isWholeNumber(amount) && amount >= 1))
    throw new Error(`${where}.amount: a whole number of the currency's smallest unit, at least 1`);
  if (!isWholeNumber(created) || created < 1) throw new Error(`${where}.created: when it was paid, in Unix seconds`);
  if (created > 99_999_999_999)
    throw new Error(`${where}.created: ${created} looks like milliseconds; Stripe times are Unix seconds`);
  const currency = optionalString(entry, "currency", where)?.toLowerCase();
  if (currency !== undefined && !/^[a-z]{3}$/.test(currency))
    throw new Error(`${where}.currency: a three-letter ISO code`);
  const email = optionalString(entry, "email", where) ?? null;
  if (email !== null && !/^[^\s@]+@[^\s@]+$/.test(email)) throw new Error(`${where}.email: an email address`);
  const customerId = optionalString(entry, "customer", where);
  const customer = customerId === undefined ? undefined : state.customers.get(customerId);
  if (customerId !== undefined && customer === undefined)
    throw new Error(`${where}.customer: no such customer '${customerId}'`);
  const linkId = optionalString(entry, "payment_link", where);
  const link = linkId === undefined ? undefined : state.paymentLinks.get(linkId);
  if (linkId !== undefined && link === undefined)
    throw new Error(`${where}.payment_link: no such payment link '${linkId}'`);
  if (link?.line_items.data.some((line) => line.price.recurring !== null))
    throw new Error(`${where}.payment_link: '${linkId}' sells a subscription; seeded payments are one-time`);
  if (amount === undefined && link === undefined) throw new Error(`${where}.amount: required without a payment_link`);
  if (metadata !== undefined && !isStringRecord(metadata)) throw new Error(`${where}.metadata: an object of strings`);
  return {
    amount: isWholeNumber(amount) ? amount : undefined,
    currency,
    created,
    email,
    customer,
    description: optionalString(entry, "description", where) ?? null,
    link,
    metadata: { ...metadata },
  };
}

/** The link's own lines when the payment is the link's total; otherwise one line of `amount`. */
function itemsOf(state: FakeStripeState, payment: PastPayment): PricedQuantity[] {
  const { link } = payment;
  const linkTotal = link?.line_items.data.reduce((sum, line) => sum + (line.amount_total ?? 0), 0);
  if (
    link !== undefined &&
    (payment.amount === undefined || payment.amount === linkTotal) &&
    (payment.currency === undefined || payment.currency === link.currency)
  )
    return link.line_items.data.map((line) => ({ price: line.price, quantity: line.quantity ?? 1 }));
  const product = createProduct(state, payment.description ?? "Payment", { active: false });
  product.created = product.updated = payment.created;
  const price = createPrice(state, {
    active: false,
    currency: payment.currency ?? link?.currency ?? "usd",
    unit_amount: payment.amount ?? 0,
    recurring: null,
    product: product.id,
    lookup_key: null,
    metadata: {},
    nickname: null,
    tax_behavior: "unspecified",
  });
  price.created = payment.created;
  return [{ price, quantity: 1 }];
}

/** Stores the payments of a `POST /__fake/payments` body (see the top of this file), or says what is wrong. */
export function seedPastPayments(
  state: FakeStripeState,
  body: string,
): { payments: SeededPayment[] } | { error: string } {
  let payments: PastPayment[];
  try {
    const request: unknown = JSON.parse(body === "" ? "null" : body);
    if (!isRecord(request) || !Array.isArray(request.payments))
      throw new Error('the body is JSON: { "account"?: "<secret key>", "payments": [ … ] }');
    const { account } = request;
    if (account !== undefined && account !== FAKE_STRIPE_SECRET_KEY && account !== FAKE_STRIPE_RESTRICTED_KEY)
      throw new Error(
        `account: the fake holds one account, named by its keys in credentials.ts, not ${typeof account === "string" ? maskKey(account) : typeof account}`,
      );
    payments = request.payments.map((entry, index) => readPayment(state, entry, `payments[${index}]`));
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  return {
    payments: payments.map((payment): SeededPayment => {
      const session = openCheckoutSession(state, {
        mode: "payment",
        items: itemsOf(state, payment),
        created: payment.created,
        customer: payment.customer?.id ?? null,
        customerEmail: payment.customer === undefined ? payment.email : null,
        customerCreation: payment.link?.customer_creation ?? null,
        paymentLink: payment.link?.id ?? null,
        successUrl: payment.link?.after_completion.redirect?.url ?? null,
        cancelUrl: null,
        clientReferenceId: null,
        allowPromotionCodes: payment.link?.allow_promotion_codes ?? null,
        metadata: payment.metadata,
      });
      completeCheckoutSession(state, session.id, payment.created, {
        description: payment.description,
        metadata: payment.metadata,
      });
      const intent = state.paymentIntents.get(session.payment_intent ?? "");
      const charge = state.charges.get(intent?.latest_charge ?? "");
      return {
        checkout_session: session.id,
        payment_intent: intent?.id ?? null,
        charge: charge?.id ?? null,
        balance_transaction: charge?.balance_transaction ?? null,
        customer: session.customer,
      };
    }),
  };
}
