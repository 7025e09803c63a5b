// Billing jobs through the in-app client against the Stripe fake: invoices
// sent for manual payment (seen through `GET /__fake/invoices/sent`), paid by
// card, voided and searched; pending invoice items; payment links listed and
// updated; customers found, updated and deleted; and Stripe's own errors for a
// search field it does not support and a URL it does not serve.
import { describe, expect, it } from "vitest";
import { StripeError } from "./client";
import type { Invoice, InvoiceItemCreateParams } from "./index";
import { clientWith, collect, fakeBase, idOf, rejectionOf, unique } from "./stripe-test-client";

const { stripe } = clientWith();
const DAY = 86_400;

/** An invoice email, as `GET /__fake/invoices/sent` lists it. */
interface SentInvoice {
  invoice: Invoice;
  to: string | null;
  sent_at: number;
}

async function sentInvoices(query: string): Promise<SentInvoice[]> {
  const response = await fetch(`${fakeBase()}/__fake/invoices/sent?${query}`);
  if (!response.ok) throw new Error(`reading sent invoices failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as SentInvoice[];
}

async function customerNamed(name: string) {
  return stripe.customers.create({ email: `${unique(name.toLowerCase())}@example.com`, name });
}

describe("invoices", () => {
  it("drafts, finalizes and sends an invoice for manual payment", async () => {
    const customer = await customerNamed("Ada");
    const draft = await stripe.invoices.create({
      customer: customer.id,
      collection_method: "send_invoice",
      days_until_due: 14,
      description: "March consulting",
    });
    expect(draft).toMatchObject({ status: "draft", auto_advance: false, customer_email: customer.email });
    expect(draft.due_date).toBe(draft.created + 14 * DAY);
    const hours = await stripe.prices.create({
      product_data: { name: unique("Hour") },
      currency: "usd",
      unit_amount: 9000,
    });
    const item = await stripe.invoiceItems.create({
      customer: customer.id,
      invoice: draft.id,
      pricing: { price: hours.id },
      quantity: 3,
    });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: draft.id, amount: 4500, currency: "usd" });
    expect(item).toMatchObject({ amount: 27000, description: expect.stringMatching(/^Hour-/) });

    const open = await stripe.invoices.finalizeInvoice(draft.id);
    expect(open).toMatchObject({ status: "open", total: 31500, amount_due: 31500 });
    expect(open.status_transitions.finalized_at).toEqual(expect.any(Number));
    expect(await sentInvoices(`invoice=${draft.id}`)).toEqual([]);

    const sent = await stripe.invoices.sendInvoice(draft.id);
    expect(sent).toMatchObject({ id: draft.id, status: "open", number: open.number });
    const [email, ...more] = await sentInvoices(`invoice=${draft.id}`);
    expect(more).toEqual([]);
    expect(email).toMatchObject({
      to: customer.email,
      invoice: {
        id: draft.id,
        total: 31500,
        description: "March consulting",
        customer_email: customer.email,
        customer_name: "Ada",
        hosted_invoice_url: expect.stringMatching(/^https:\/\/invoice\.stripe\.com\/i\//),
        due_date: draft.created + 14 * DAY,
      },
    });

    const lines = await collect(stripe.invoices.listLineItems(draft.id, { limit: 1 }));
    expect(lines.map((line) => [line.amount, line.quantity])).toEqual([
      [27000, 3],
      [4500, 1],
    ]);
    expect(lines[0]?.parent).toMatchObject({
      type: "invoice_item_details",
      invoice_item_details: { invoice_item: item.id },
    });
    expect(lines[0]?.pricing?.price_details).toMatchObject({ price: hours.id, product: hours.product });
  });

  it("sends a draft by finalizing it, and refuses to send one that is charged automatically", async () => {
    const customer = await customerNamed("Ben");
    const draft = await stripe.invoices.create({
      customer: customer.id,
      collection_method: "send_invoice",
      due_date: 2e9,
    });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: draft.id, amount: 1200, currency: "usd" });
    const sent = await stripe.invoices.sendInvoice(draft.id);
    expect(sent).toMatchObject({ status: "open", due_date: 2e9, number: expect.stringMatching(/-\d{4}$/) });
    expect((await sentInvoices(`customer=${customer.id}`)).map((email) => email.invoice.id)).toEqual([draft.id]);

    const automatic = await stripe.invoices.create({ customer: customer.id });
    const refused = await rejectionOf(stripe.invoices.sendInvoice(automatic.id));
    expect(refused).toMatchObject({
      status: 400,
      stripeMessage: "You can only manually send an invoice if its collection method is 'send_invoice'.",
    });
  });

  it("pays an invoice by card: payment intent, charge and balance transaction", async () => {
    const customer = await customerNamed("Cy");
    const invoice = await stripe.invoices.create({ customer: customer.id, currency: "eur", description: "Setup fee" });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 5000, currency: "eur" });
    expect(await rejectionOf(stripe.invoices.pay(invoice.id))).toMatchObject({
      status: 400,
      stripeMessage: expect.stringMatching(/^This customer has no attached payment source or default payment method/),
    });
    const declined = await rejectionOf(
      stripe.invoices.pay(invoice.id, { payment_method: "pm_card_chargeDeclinedInsufficientFunds" }),
    );
    expect(declined).toMatchObject({ type: "card_error", status: 402, code: "card_declined" });
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: "open", attempt_count: 1 });

    const paid = await stripe.invoices.pay(invoice.id, { payment_method: "pm_card_visa" });
    expect(paid).toMatchObject({ status: "paid", amount_paid: 5000, amount_remaining: 0, currency: "eur" });
    expect(paid.status_transitions.paid_at).toEqual(expect.any(Number));

    const charges = await stripe.charges.list({ customer: customer.id });
    expect(charges.data).toHaveLength(1);
    const charge = charges.data[0];
    expect(charge).toMatchObject({
      amount: 5000,
      currency: "eur",
      status: "succeeded",
      description: "Payment for Invoice",
    });
    const [payment] = (await stripe.invoicePayments.list({ invoice: invoice.id })).data;
    expect(payment).toMatchObject({ status: "paid", amount_paid: 5000, payment: { type: "payment_intent" } });
    expect(idOf(payment?.payment.payment_intent)).toBe(idOf(charge?.payment_intent));
    const transaction = await stripe.balanceTransactions.retrieve(idOf(charge?.balance_transaction));
    expect(transaction).toMatchObject({ amount: 5000, fee: 175, net: 4825, source: charge?.id });
    const byCard = await stripe.charges.search({
      query: `customer:'${customer.id}' AND payment_method_details.card.last4:'4242'`,
    });
    expect(byCard.data.map((found) => found.id)).toEqual([charge?.id]);

    expect(await rejectionOf(stripe.invoices.pay(invoice.id, { payment_method: "pm_card_visa" }))).toMatchObject({
      status: 400,
      stripeMessage: "Invoice is already paid",
    });
  });

  it("voids an open invoice and keeps it out of reach afterwards", async () => {
    const customer = await customerNamed("Di");
    const invoice = await stripe.invoices.create({
      customer: customer.id,
      collection_method: "send_invoice",
      days_until_due: 30,
    });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 800, currency: "usd" });
    expect(await rejectionOf(stripe.invoices.voidInvoice(invoice.id))).toMatchObject({ status: 400 });
    await stripe.invoices.finalizeInvoice(invoice.id);

    const voided = await stripe.invoices.voidInvoice(invoice.id);
    expect(voided).toMatchObject({ status: "void" });
    expect(voided.status_transitions.voided_at).toEqual(expect.any(Number));
    expect(await rejectionOf(stripe.invoices.voidInvoice(invoice.id))).toMatchObject({ status: 400 });
    expect(await rejectionOf(stripe.invoices.pay(invoice.id, { paid_out_of_band: true }))).toMatchObject({
      status: 400,
    });
    expect(await rejectionOf(stripe.invoices.sendInvoice(invoice.id))).toMatchObject({ status: 400 });
    expect(await rejectionOf(stripe.invoices.update(invoice.id, { description: "late" }))).toMatchObject({
      status: 400,
      code: "invoice_not_editable",
    });
    expect(await stripe.invoices.update(invoice.id, { metadata: { reason: "duplicate" } })).toMatchObject({
      status: "void",
      metadata: { reason: "duplicate" },
    });
  });

  it("updates, lists and searches invoices", async () => {
    const customer = await customerNamed("Eve");
    const draft = await stripe.invoices.create({
      customer: customer.id,
      collection_method: "send_invoice",
      days_until_due: 7,
    });
    const updated = await stripe.invoices.update(draft.id, {
      description: "Retainer",
      metadata: { project: "roof" },
      days_until_due: 21,
    });
    expect(updated).toMatchObject({ description: "Retainer", metadata: { project: "roof" } });
    expect(updated.due_date).toBe(draft.created + 21 * DAY);
    expect(await rejectionOf(stripe.invoices.update(draft.id, { days_until_due: 3, due_date: 2e9 }))).toMatchObject({
      status: 400,
    });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: draft.id, amount: 70000, currency: "usd" });
    await stripe.invoices.finalizeInvoice(draft.id);
    const other = await stripe.invoices.create({ customer: customer.id });

    const found = await stripe.invoices.search({
      query: `customer:'${customer.id}' AND status:'open' AND total>=70000 AND metadata['project']:'roof'`,
    });
    expect(found.data.map((invoice) => invoice.id)).toEqual([draft.id]);
    const drafts = await stripe.invoices.search({ query: `customer:'${customer.id}' AND -status:'open'` });
    expect(drafts.data.map((invoice) => invoice.id)).toEqual([other.id]);
    const sendInvoice = await stripe.invoices.list({ customer: customer.id, collection_method: "send_invoice" });
    expect(sendInvoice.data.map((invoice) => invoice.id)).toEqual([draft.id]);
    expect((await stripe.invoices.list({ customer: customer.id })).data.map((invoice) => invoice.id)).toEqual([
      other.id,
      draft.id,
    ]);
  });

  it("keeps invoice items pending until an invoice includes them", async () => {
    const customer = await customerNamed("Fay");
    const pending = await stripe.invoiceItems.create({
      customer: customer.id,
      amount: 300,
      currency: "usd",
      description: "Shipping",
    });
    expect(pending).toMatchObject({ invoice: null, amount: 300 });
    expect((await stripe.invoiceItems.list({ customer: customer.id, pending: true })).data.map((i) => i.id)).toEqual([
      pending.id,
    ]);
    const without = await stripe.invoices.create({ customer: customer.id });
    expect(without.lines.data).toEqual([]);
    const invoice = await stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: "include" });
    expect(invoice).toMatchObject({ total: 300, lines: { data: [{ amount: 300, description: "Shipping" }] } });
    expect(await stripe.invoiceItems.retrieve(pending.id)).toMatchObject({ invoice: invoice.id });

    // `price` became `pricing[price]` in 2025-03-31.basil; at the pinned version Stripe does not know it.
    const old = { customer: customer.id, price: "price_x" } as unknown as InvoiceItemCreateParams;
    expect(await rejectionOf(stripe.invoiceItems.create(old))).toMatchObject({
      status: 400,
      code: "parameter_unknown",
      param: "price",
    });
  });
});

describe("payment links", () => {
  it("lists, retrieves, deactivates and lists the line items of payment links", async () => {
    const tag = unique("links");
    const price = await stripe.prices.create({
      product_data: { name: unique("Poster") },
      currency: "usd",
      unit_amount: 1500,
    });
    const frame = await stripe.prices.create({
      product_data: { name: unique("Frame") },
      currency: "usd",
      unit_amount: 2500,
    });
    const both = await stripe.paymentLinks.create({
      line_items: [
        { price: price.id, quantity: 2 },
        { price: frame.id, quantity: 1 },
      ],
      metadata: { tag },
    });
    const single = await stripe.paymentLinks.create({
      line_items: [{ price: price.id, quantity: 1 }],
      metadata: { tag },
    });
    expect(both.url).toMatch(/^https:\/\/buy\.stripe\.com\/test_\w+$/);
    expect(both).not.toHaveProperty("line_items");

    expect(await stripe.paymentLinks.retrieve(both.id)).toMatchObject({ id: both.id, active: true, metadata: { tag } });
    const items = await collect(stripe.paymentLinks.listLineItems(both.id, { limit: 1 }));
    expect(items.map((item) => [item.price?.id, item.quantity, item.amount_total])).toEqual([
      [price.id, 2, 3000],
      [frame.id, 1, 2500],
    ]);

    const off = await stripe.paymentLinks.update(single.id, { active: false, metadata: { retired: "yes" } });
    expect(off).toMatchObject({ active: false, metadata: { tag, retired: "yes" } });
    const mine = (links: { id: string; metadata: Record<string, string> }[]) =>
      links.filter((link) => link.metadata.tag === tag).map((link) => link.id);
    expect(mine(await collect(stripe.paymentLinks.list({ active: true, limit: 100 })))).toEqual([both.id]);
    expect(mine(await collect(stripe.paymentLinks.list({ active: false, limit: 100 })))).toEqual([single.id]);
    expect(mine(await collect(stripe.paymentLinks.list({ limit: 100 })))).toEqual([single.id, both.id]);
    expect(await rejectionOf(stripe.paymentLinks.retrieve("plink_missing"))).toMatchObject({
      status: 404,
      stripeMessage: "No such payment_link: 'plink_missing'",
    });
  });
});

describe("customers", () => {
  it("finds customers by email and name, updates and deletes them", async () => {
    const email = `${unique("gil")}@example.com`;
    const surname = unique("Gilmore");
    const customer = await stripe.customers.create({ email, name: `Gil ${surname}` });
    expect((await stripe.customers.search({ query: `email:'${email}'` })).data.map((c) => c.id)).toEqual([customer.id]);
    expect((await stripe.customers.search({ query: `name~'${surname}'` })).data.map((c) => c.id)).toEqual([
      customer.id,
    ]);
    expect((await stripe.customers.list({ email })).data.map((c) => c.id)).toEqual([customer.id]);
    expect((await stripe.customers.list({ email: email.toUpperCase() })).data).toEqual([]);

    expect(await stripe.customers.update(customer.id, { name: "Gil G.", phone: "+1 555 0100" })).toMatchObject({
      name: "Gil G.",
      phone: "+1 555 0100",
      email,
    });

    expect(await stripe.customers.del(customer.id)).toEqual({ id: customer.id, object: "customer", deleted: true });
    expect(await stripe.customers.retrieve(customer.id)).toEqual({
      id: customer.id,
      object: "customer",
      deleted: true,
    });
    expect((await stripe.customers.list({ email })).data).toEqual([]);
    expect((await stripe.customers.search({ query: `email:'${email}'` })).data).toEqual([]);
    expect(await rejectionOf(stripe.customers.update(customer.id, { name: "x" }))).toMatchObject({
      status: 404,
      code: "resource_missing",
    });
  });
});

describe("Stripe's errors", () => {
  it("refuses a dotted search field the resource does not support, in Stripe's words", async () => {
    const error = await rejectionOf(stripe.charges.search({ query: "billing_details.email:'ann@example.com'" }));
    expect(error).toBeInstanceOf(StripeError);
    expect(error).toMatchObject({
      type: "invalid_request_error",
      status: 400,
      param: "query",
      stripeMessage:
        "Field `billing_details.email` is an unsupported search field for resource `charges`. See https://stripe.com/docs/search#query-fields-for-charges for a list of supported fields.",
    });
    expect(await rejectionOf(stripe.customers.search({ query: "address.city:'Paris'" }))).toMatchObject({
      stripeMessage: expect.stringMatching(
        /^Field `address\.city` is an unsupported search field for resource `customers`/,
      ),
    });
  });

  it("answers a URL Stripe does not serve with its 404", async () => {
    const raw = stripe as unknown as { rawRequest(method: string, path: string): Promise<unknown> };
    const error = await rejectionOf(raw.rawRequest("GET", "/v1/invoices_of_the_future"));
    expect(error).toBeInstanceOf(StripeError);
    expect(error).toMatchObject({
      type: "invalid_request_error",
      status: 404,
      stripeMessage:
        "Unrecognized request URL (GET: /v1/invoices_of_the_future). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
    });
  });
});
