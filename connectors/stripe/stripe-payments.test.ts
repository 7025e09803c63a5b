// Everyday money jobs through the in-app client against the Stripe fake: past
// payments seeded with `POST /__fake/payments`, then read back as charges,
// payment intents, balance transactions and checkout sessions, refunded, and
// looked up by id, as an app's "who paid yesterday" report would.
import { beforeAll, describe, expect, it } from "vitest";
import { StripeError } from "./client";
import { FAKE_STRIPE_SECRET_KEY } from "./fake/credentials";
import { clientWith, collect, completeCheckout, fakeBase, idOf, rejectionOf, unique } from "./stripe-test-client";

const { stripe } = clientWith();
const DAY = 86_400;

/** What the fake answers for each seeded payment (its ids). */
interface Seeded {
  checkout_session: string;
  payment_intent: string;
  charge: string;
  balance_transaction: string;
  customer: string | null;
}

/** Seeds past payments in the fake's account; `body` is sent as is, so tests can send bad ones too. */
async function seed(body: unknown): Promise<Response> {
  return fetch(`${fakeBase()}/__fake/payments`, { method: "POST", body: JSON.stringify(body) });
}

async function seedPayments(payments: Record<string, unknown>[]): Promise<Seeded[]> {
  const response = await seed({ account: FAKE_STRIPE_SECRET_KEY, payments });
  if (!response.ok) throw new Error(`seeding payments failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { payments: Seeded[] }).payments;
}

/** Stripe's fee on a card charge, as the fake takes it (2.9% + 30). */
const feeOn = (amount: number) => Math.round(amount * 0.029) + 30;

// Whole UTC days of this file's own, years back from a random day: the fake is shared with the whole test run, whose
// other tests pay today, yesterday and in the days before (the everyday suite seeds them), so "yesterday" here is
// the day before a day nobody else uses; the tests below seed older days of it.
const today = (Math.floor(Date.now() / 1000 / DAY) - 2000 - Math.floor(Math.random() * 4000)) * DAY;
const yesterday = today - DAY;
const dayBefore = today - 2 * DAY;

describe("payments seeded over two days", () => {
  const batch = unique("batch");
  let seeded: Seeded[] = [];
  let customerId = "";

  beforeAll(async () => {
    const customer = await stripe.customers.create({ email: `${unique("regular")}@example.com`, name: "Regular" });
    customerId = customer.id;
    seeded = await seedPayments([
      { amount: 1500, created: dayBefore + 3600, email: "ann@example.com", metadata: { batch } },
      { amount: 2500, created: dayBefore + 7200, customer: customer.id, metadata: { batch } },
      { amount: 1000, created: yesterday + 600, email: "bob@example.com", description: "Tea", metadata: { batch } },
      { amount: 2000, created: yesterday + 1200, customer: customer.id, metadata: { batch } },
      { amount: 3000, created: yesterday + 1800, email: "cy@example.com", metadata: { batch, vip: "yes" } },
    ]);
  });

  it("lists one day's charges, newest first, and sums them", async () => {
    const charges = await stripe.charges.list({ created: { gte: yesterday, lt: today }, limit: 100 });
    expect(charges).toMatchObject({ object: "list", has_more: false, url: "/v1/charges" });
    expect(charges.data.map((charge) => charge.id)).toEqual([seeded[4]?.charge, seeded[3]?.charge, seeded[2]?.charge]);
    expect(charges.data.reduce((sum, charge) => sum + charge.amount, 0)).toBe(6000);
    const tea = charges.data[2];
    expect(tea).toMatchObject({
      object: "charge",
      amount: 1000,
      amount_captured: 1000,
      amount_refunded: 0,
      refunded: false,
      captured: true,
      paid: true,
      status: "succeeded",
      currency: "usd",
      customer: null,
      description: "Tea",
      created: yesterday + 600,
      payment_intent: seeded[2]?.payment_intent,
      balance_transaction: seeded[2]?.balance_transaction,
      billing_details: { email: "bob@example.com", name: null, phone: null },
      receipt_email: null,
      metadata: { batch },
      livemode: false,
      payment_method_details: { type: "card", card: { brand: "visa", last4: "4242" } },
    });
    expect(tea?.id).toMatch(/^ch_/);

    const exact = await stripe.charges.list({ created: yesterday + 1200 });
    expect(exact.data.map((charge) => charge.id)).toEqual([seeded[3]?.charge]);
    const ofCustomer = await stripe.charges.list({ customer: customerId });
    expect(ofCustomer.data.map((charge) => charge.amount)).toEqual([2000, 2500]);
    expect(ofCustomer.data[0]?.billing_details.email).toMatch(/^regular-/);
    const ofIntent = await stripe.charges.list({ payment_intent: seeded[0]?.payment_intent });
    expect(ofIntent.data.map((charge) => charge.id)).toEqual([seeded[0]?.charge]);
  });

  it("pages through charges with for await", async () => {
    const seen: string[] = [];
    for await (const charge of stripe.charges.list({ limit: 100, created: { gte: dayBefore } })) {
      expect(charge.created).toBeGreaterThanOrEqual(dayBefore);
      seen.push(charge.id);
    }
    expect(seen).toEqual(expect.arrayContaining(seeded.map((payment) => payment.charge)));

    // Two at a time: three pages, each asked for with the last id of the one before.
    const window = { gte: dayBefore, lt: today };
    const firstPage = await stripe.charges.list({ limit: 2, created: window });
    expect(firstPage.has_more).toBe(true);
    const paged = await collect(stripe.charges.list({ limit: 2, created: window }));
    expect(paged.map((charge) => charge.id)).toEqual(seeded.map((payment) => payment.charge).reverse());
    const earlier = await stripe.charges.list({ limit: 2, created: window, starting_after: paged[1]?.id });
    expect(earlier.data.map((charge) => charge.amount)).toEqual([1000, 2500]);
    const later = await stripe.charges.list({ limit: 2, created: window, ending_before: paged[2]?.id });
    expect(later.data.map((charge) => charge.amount)).toEqual([3000, 2000]);
  });

  it("searches charges and payment intents", async () => {
    const vip = await stripe.charges.search({ query: `metadata['batch']:'${batch}' AND metadata['vip']:'yes'` });
    expect(vip).toMatchObject({ object: "search_result", has_more: false, next_page: null, url: "/v1/charges/search" });
    expect(vip.data.map((charge) => charge.id)).toEqual([seeded[4]?.charge]);
    const regular = await collect(
      stripe.charges.search({ query: `customer:'${customerId}' AND status:'succeeded'`, limit: 1 }),
    );
    expect(regular.map((charge) => charge.amount)).toEqual([2000, 2500]);
    const large = await stripe.charges.search({ query: `metadata['batch']:'${batch}' AND amount>2000` });
    expect(large.data.map((charge) => charge.amount)).toEqual([3000, 2500]);
    const recent = await stripe.charges.search({ query: `metadata['batch']:'${batch}' AND created>${yesterday}` });
    expect(recent.data).toHaveLength(3);

    const intents = await stripe.paymentIntents.search({
      query: `metadata['batch']:'${batch}' AND status:'succeeded'`,
    });
    expect(intents.data.map((intent) => intent.id)).toEqual(seeded.map((payment) => payment.payment_intent).reverse());
    const unsupported = await rejectionOf(stripe.charges.search({ query: "receipt_email:'ann@example.com'" }));
    expect(unsupported).toMatchObject({ status: 400, param: "query" });
  });

  it("lists payment intents and retrieves one's latest charge", async () => {
    const intents = await stripe.paymentIntents.list({ created: { gte: dayBefore, lte: yesterday }, limit: 100 });
    expect(intents.data.map((intent) => intent.id)).toEqual([seeded[1]?.payment_intent, seeded[0]?.payment_intent]);
    const ofCustomer = await stripe.paymentIntents.list({ customer: customerId });
    expect(ofCustomer.data.map((intent) => intent.amount)).toEqual([2000, 2500]);

    const intent = await stripe.paymentIntents.retrieve(seeded[2]?.payment_intent ?? "");
    expect(intent).toMatchObject({
      object: "payment_intent",
      amount: 1000,
      amount_received: 1000,
      currency: "usd",
      status: "succeeded",
      customer: null,
      description: "Tea",
      created: yesterday + 600,
      metadata: { batch },
      receipt_email: null,
      latest_charge: seeded[2]?.charge,
    });
    const charge = await stripe.charges.retrieve(idOf(intent.latest_charge));
    expect(charge).toMatchObject({
      payment_intent: intent.id,
      amount: 1000,
      billing_details: { email: "bob@example.com" },
    });
    const expanded = await stripe.paymentIntents.retrieve(intent.id, { expand: ["latest_charge"] });
    expect(expanded.latest_charge).toMatchObject({ id: charge.id, object: "charge" });
  });

  it("lists balance transactions with Stripe's fee", async () => {
    const window = { gte: dayBefore, lt: today };
    const transactions = await collect(
      stripe.balanceTransactions.list({ created: window, type: "charge", limit: 100 }),
    );
    expect(transactions.map((transaction) => transaction.id)).toEqual(
      seeded.map((payment) => payment.balance_transaction).reverse(),
    );
    for (const transaction of transactions) {
      expect(transaction).toMatchObject({
        object: "balance_transaction",
        type: "charge",
        reporting_category: "charge",
        status: "available",
        currency: "usd",
        fee: feeOn(transaction.amount),
        net: transaction.amount - feeOn(transaction.amount),
        available_on: transaction.created,
      });
    }
    expect(transactions.reduce((sum, transaction) => sum + transaction.amount, 0)).toBe(10_000);
    const one = await stripe.balanceTransactions.retrieve(seeded[0]?.balance_transaction ?? "");
    expect(one).toMatchObject({
      amount: 1500,
      fee: 74,
      net: 1426,
      source: seeded[0]?.charge,
      created: dayBefore + 3600,
    });
    expect(one.fee_details).toEqual([
      { amount: 74, application: null, currency: "usd", description: "Stripe processing fees", type: "stripe_fee" },
    ]);
    const bySource = await stripe.balanceTransactions.list({ source: seeded[3]?.charge });
    expect(bySource.data.map((transaction) => transaction.id)).toEqual([seeded[3]?.balance_transaction]);
  });
});

describe("checkout sessions and payment links", () => {
  const fiveDaysAgo = today - 5 * DAY;
  const fourDaysAgo = today - 4 * DAY;

  it("lists the paid sessions of one payment link", async () => {
    const price = await stripe.prices.create({
      product_data: { name: unique("Class pass") },
      currency: "usd",
      unit_amount: 4000,
    });
    const link = await stripe.paymentLinks.create({ line_items: [{ price: price.id, quantity: 1 }] });
    const other = await stripe.paymentLinks.create({ line_items: [{ price: price.id, quantity: 2 }] });
    const [first, second] = await seedPayments([
      { payment_link: link.id, created: fiveDaysAgo + 100, email: "dee@example.com" },
      { payment_link: link.id, amount: 3500, created: fourDaysAgo + 100, email: "eve@example.com" },
      { payment_link: other.id, created: fourDaysAgo + 200, email: "fay@example.com" },
    ]);

    const sessions = await stripe.checkout.sessions.list({ payment_link: link.id });
    expect(sessions).toMatchObject({ object: "list", has_more: false, url: "/v1/checkout/sessions" });
    expect(sessions.data.map((session) => session.id)).toEqual([second?.checkout_session, first?.checkout_session]);
    expect(sessions.data[1]).toMatchObject({
      object: "checkout.session",
      mode: "payment",
      status: "complete",
      payment_status: "paid",
      payment_link: link.id,
      amount_total: 4000,
      currency: "usd",
      created: fiveDaysAgo + 100,
      customer_details: { email: "dee@example.com" },
      payment_intent: first?.payment_intent,
    });
    expect(sessions.data[0]).toMatchObject({ amount_total: 3500, customer_details: { email: "eve@example.com" } });
    expect(sessions.data[0]).not.toHaveProperty("line_items");

    const yesterdays = await stripe.checkout.sessions.list({
      payment_link: link.id,
      created: { gte: fourDaysAgo },
      status: "complete",
    });
    expect(yesterdays.data.map((session) => session.id)).toEqual([second?.checkout_session]);
    const byIntent = await stripe.checkout.sessions.list({ payment_intent: first?.payment_intent });
    expect(byIntent.data.map((session) => session.id)).toEqual([first?.checkout_session]);
  });

  it("makes the payment intent, charge and balance transaction when a checkout is paid", async () => {
    const email = `${unique("payer")}@example.com`;
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ price_data: { currency: "eur", unit_amount: 1200, product_data: { name: "Mug" } }, quantity: 1 }],
      success_url: "https://shop.example.com/done",
      customer_email: email,
    });
    await completeCheckout(session.id);
    const paid = await stripe.checkout.sessions.retrieve(session.id);
    const intent = await stripe.paymentIntents.retrieve(idOf(paid.payment_intent));
    expect(intent).toMatchObject({ amount: 1200, amount_received: 1200, currency: "eur", status: "succeeded" });
    const charge = await stripe.charges.retrieve(idOf(intent.latest_charge));
    expect(charge).toMatchObject({ amount: 1200, currency: "eur", billing_details: { email }, paid: true });
    const transaction = await stripe.balanceTransactions.retrieve(idOf(charge.balance_transaction));
    expect(transaction).toMatchObject({ amount: 1200, fee: 65, net: 1135, currency: "eur", source: charge.id });
  });

  it("charges a subscription's first invoice when its checkout is paid", async () => {
    const price = await stripe.prices.create({
      product_data: { name: unique("Monthly box") },
      currency: "usd",
      unit_amount: 1500,
      recurring: { interval: "month" },
    });
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: "https://box.example.com/welcome",
      customer_email: `${unique("boxer")}@example.com`,
    });
    await completeCheckout(session.id);
    const paid = await stripe.checkout.sessions.retrieve(session.id);
    const charges = await stripe.charges.list({ customer: idOf(paid.customer) });
    expect(charges.data).toHaveLength(1);
    expect(charges.data[0]).toMatchObject({ amount: 1500, description: "Subscription creation", status: "succeeded" });
  });
});

describe("refunds and errors", () => {
  it("refunds a charge by its id and records the money going back", async () => {
    const [payment] = await seedPayments([{ amount: 5000, created: today - 10 * DAY, email: "gus@example.com" }]);
    const chargeId = payment?.charge ?? "";
    const part = await stripe.refunds.create({ charge: chargeId, amount: 1500 });
    expect(part).toMatchObject({
      object: "refund",
      amount: 1500,
      charge: chargeId,
      payment_intent: payment?.payment_intent,
      status: "succeeded",
    });
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({ amount_refunded: 1500, refunded: false });

    const transaction = await stripe.balanceTransactions.retrieve(idOf(part.balance_transaction));
    expect(transaction).toMatchObject({
      type: "refund",
      reporting_category: "refund",
      amount: -1500,
      fee: 0,
      net: -1500,
      source: part.id,
    });
    const refunds = await stripe.balanceTransactions.list({ type: "refund", created: { gte: part.created } });
    expect(refunds.data.map((item) => item.id)).toContain(transaction.id);

    const rest = await stripe.refunds.create({ payment_intent: payment?.payment_intent ?? "" });
    expect(rest.amount).toBe(3500);
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({ amount_refunded: 5000, refunded: true });
    const again = await rejectionOf(stripe.refunds.create({ charge: chargeId }));
    expect(again).toMatchObject({ status: 400, code: "charge_already_refunded" });
  });

  it("answers an unknown charge with Stripe's 404", async () => {
    const error = await rejectionOf(stripe.charges.retrieve("ch_doesnotexist"));
    expect(error).toBeInstanceOf(StripeError);
    expect(error).toMatchObject({
      type: "invalid_request_error",
      status: 404,
      code: "resource_missing",
      param: "id",
      stripeMessage: "No such charge: 'ch_doesnotexist'",
    });
    const refund = await rejectionOf(stripe.refunds.create({ charge: "ch_doesnotexist" }));
    expect(refund).toMatchObject({ status: 404, code: "resource_missing", param: "charge" });
    const intent = await rejectionOf(stripe.paymentIntents.retrieve("pi_doesnotexist"));
    expect(intent).toMatchObject({ status: 404, stripeMessage: "No such payment_intent: 'pi_doesnotexist'" });
  });

  it("refuses seeded payments it cannot store, storing none of them", async () => {
    const before = (await stripe.charges.list({ created: { gte: today - 20 * DAY, lt: today - 19 * DAY } })).data;
    const inMilliseconds = await seed({
      payments: [
        { amount: 100, created: today - 20 * DAY },
        { amount: 100, created: Date.now() },
      ],
    });
    expect(inMilliseconds.status).toBe(400);
    expect(((await inMilliseconds.json()) as { error: { message: string } }).error.message).toMatch(
      /payments\[1\]\.created: .* looks like milliseconds/,
    );
    const after = (await stripe.charges.list({ created: { gte: today - 20 * DAY, lt: today - 19 * DAY } })).data;
    expect(after).toEqual(before);
    expect((await seed({ account: "sk_test_someoneelse", payments: [] })).status).toBe(400);
    expect((await seed({ payments: [{ created: yesterday }] })).status).toBe(400);
  });
});
