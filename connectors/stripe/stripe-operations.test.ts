// Every operation of the in-app Stripe client against the Stripe fake, through
// a fetch that does what the egress proxy does (host allow-list, origin
// rewrite, key injection, pinned API version).
import { describe, expect, it } from "vitest";
import { StripeError } from "./client";
import { clientWith, collect, completeCheckout, idOf, rejectionOf, unique } from "./stripe-test-client";

const { stripe } = clientWith();

describe("customers", () => {
  it("creates, retrieves, updates, lists by email and searches", async () => {
    const email = `${unique("ann")}@example.com`;
    const created = await stripe.customers.create({
      email,
      name: "Ann Lee",
      address: { city: "Paris", country: "FR" },
      metadata: { plan: "pro", team: "a" },
    });
    expect(created).toMatchObject({ object: "customer", email, name: "Ann Lee", metadata: { plan: "pro", team: "a" } });
    expect(created.id).toMatch(/^cus_/);
    expect(created.address).toMatchObject({ city: "Paris", country: "FR", line1: null });

    expect(await stripe.customers.retrieve(created.id)).toMatchObject({ id: created.id, email });

    const updated = await stripe.customers.update(created.id, {
      phone: "+33 1 23 45 67 89",
      metadata: { team: "", seats: "3" },
    });
    expect(updated).toMatchObject({
      phone: "+33 1 23 45 67 89",
      name: "Ann Lee",
      metadata: { plan: "pro", seats: "3" },
    });
    expect(updated.metadata).not.toHaveProperty("team");

    const listed = await stripe.customers.list({ email });
    expect(listed).toMatchObject({ object: "list", has_more: false, url: "/v1/customers" });
    expect(listed.data.map((customer) => customer.id)).toEqual([created.id]);

    const byEmail = await stripe.customers.search({ query: `email:'${email}'` });
    expect(byEmail).toMatchObject({ object: "search_result", has_more: false, next_page: null });
    expect(byEmail.data.map((customer) => customer.id)).toEqual([created.id]);
    const tag = unique("tag");
    await stripe.customers.update(created.id, { metadata: { tag } });
    const byMetadata = await collect(
      stripe.customers.search({ query: `metadata['tag']:'${tag}' AND email:'${email}'`, limit: 100 }),
    );
    expect(byMetadata.map((customer) => customer.id)).toEqual([created.id]);
  });
});

describe("products and prices", () => {
  it("creates a product with its default price, more prices, and finds them", async () => {
    const product = await stripe.products.create({
      name: unique("Pro plan"),
      description: "Everything",
      default_price_data: { currency: "USD", unit_amount: 1999, recurring: { interval: "month" } },
    });
    expect(product).toMatchObject({ object: "product", active: true, description: "Everything" });
    expect(product.default_price).toMatch(/^price_/);

    const monthly = await stripe.prices.retrieve(idOf(product.default_price));
    expect(monthly).toMatchObject({
      product: product.id,
      currency: "usd",
      unit_amount: 1999,
      type: "recurring",
      recurring: { interval: "month", interval_count: 1 },
    });

    const lookupKey = unique("pro_yearly");
    const yearly = await stripe.prices.create({
      product: product.id,
      currency: "usd",
      unit_amount: 19900,
      recurring: { interval: "year" },
      lookup_key: lookupKey,
      nickname: "Yearly",
    });
    expect(yearly).toMatchObject({ type: "recurring", lookup_key: lookupKey, nickname: "Yearly" });
    const oneTime = await stripe.prices.create({
      product_data: { name: unique("Sticker") },
      currency: "eur",
      unit_amount: 300,
    });
    expect(oneTime).toMatchObject({ type: "one_time", recurring: null, currency: "eur" });
    expect((await stripe.products.retrieve(idOf(oneTime.product))).name).toMatch(/^Sticker-/);

    const ofProduct = await stripe.prices.list({ product: product.id });
    expect(ofProduct.data.map((price) => price.id)).toEqual([yearly.id, monthly.id]);
    expect((await stripe.prices.list({ lookup_keys: [lookupKey] })).data.map((price) => price.id)).toEqual([yearly.id]);
    expect((await collect(stripe.prices.list({ product: product.id, type: "recurring", limit: 100 }))).length).toBe(2);
    const products = await stripe.products.list({ active: true, limit: 100 });
    expect(products.data.map((item) => item.id)).toContain(product.id);
    expect((await collect(stripe.products.list({ active: true, limit: 100 }))).map((item) => item.id)).toContain(
      oneTime.product,
    );
  });
});

describe("payment links and checkout", () => {
  it("creates a payment link for a price", async () => {
    const price = await stripe.prices.create({
      product_data: { name: unique("E-book") },
      currency: "usd",
      unit_amount: 900,
    });
    const link = await stripe.paymentLinks.create({
      line_items: [{ price: price.id, quantity: 1 }],
      after_completion: { type: "redirect", redirect: { url: "https://shop.example.com/thanks" } },
      metadata: { campaign: "spring" },
    });
    expect(link).toMatchObject({
      object: "payment_link",
      active: true,
      currency: "usd",
      metadata: { campaign: "spring" },
    });
    expect(link.url).toMatch(/^https:\/\/buy\.stripe\.com\//);
  });

  it("takes a one-time payment and refunds it in two parts", async () => {
    const email = `${unique("buyer")}@example.com`;
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [
        { price_data: { currency: "usd", unit_amount: 2500, product_data: { name: "Workshop seat" } }, quantity: 2 },
      ],
      success_url: "https://shop.example.com/done?session={CHECKOUT_SESSION_ID}",
      customer_email: email,
      client_reference_id: "order-42",
    });
    expect(session).toMatchObject({
      object: "checkout.session",
      mode: "payment",
      status: "open",
      payment_status: "unpaid",
      amount_total: 5000,
      currency: "usd",
      client_reference_id: "order-42",
      payment_intent: null,
    });
    expect(session.url).toMatch(/^https:\/\/checkout\.stripe\.com\//);

    await completeCheckout(session.id);
    const paid = await stripe.checkout.sessions.retrieve(session.id);
    expect(paid).toMatchObject({ status: "complete", payment_status: "paid", customer_details: { email } });
    expect(paid.payment_intent).toMatch(/^pi_/);

    const part = await stripe.refunds.create({
      payment_intent: idOf(paid.payment_intent),
      amount: 1000,
      reason: "requested_by_customer",
    });
    expect(part).toMatchObject({
      object: "refund",
      amount: 1000,
      currency: "usd",
      status: "succeeded",
      payment_intent: paid.payment_intent,
      reason: "requested_by_customer",
    });
    const rest = await stripe.refunds.create({ payment_intent: idOf(paid.payment_intent) });
    expect(rest.amount).toBe(4000);
    const again = await rejectionOf(stripe.refunds.create({ payment_intent: idOf(paid.payment_intent) }));
    expect(again).toBeInstanceOf(StripeError);
    expect(again).toMatchObject({ type: "invalid_request_error", code: "charge_already_refunded", status: 400 });
  });

  it("starts a subscription when a subscription checkout is paid", async () => {
    const price = await stripe.prices.create({
      product_data: { name: unique("Club") },
      currency: "usd",
      unit_amount: 1500,
      recurring: { interval: "month" },
    });
    const email = `${unique("member")}@example.com`;
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: "https://club.example.com/welcome",
      customer_email: email,
      subscription_data: { metadata: { source: "checkout" } },
    });
    await completeCheckout(session.id);
    const paid = await stripe.checkout.sessions.retrieve(session.id);
    expect(paid.subscription).toMatch(/^sub_/);

    const subscription = await stripe.subscriptions.retrieve(idOf(paid.subscription));
    expect(subscription).toMatchObject({ status: "active", customer: paid.customer, metadata: { source: "checkout" } });
    expect(subscription.items.data[0]?.price.id).toBe(price.id);
    const invoice = await stripe.invoices.retrieve(idOf(subscription.latest_invoice));
    expect(invoice).toMatchObject({ status: "paid", total: 1500, amount_paid: 1500, customer: paid.customer });
  });
});

describe("subscriptions", () => {
  it("creates, changes, cancels and lists subscriptions", async () => {
    const customer = await stripe.customers.create({ email: `${unique("sub")}@example.com` });
    const basic = await stripe.prices.create({
      product_data: { name: unique("Basic") },
      currency: "usd",
      unit_amount: 500,
      recurring: { interval: "month" },
    });
    const addOn = await stripe.prices.create({
      product_data: { name: unique("Add-on") },
      currency: "usd",
      unit_amount: 200,
      recurring: { interval: "month" },
    });

    const trial = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: basic.id, quantity: 2 }],
      trial_period_days: 14,
      metadata: { seat: "a" },
    });
    expect(trial).toMatchObject({
      object: "subscription",
      status: "trialing",
      customer: customer.id,
      cancel_at_period_end: false,
      metadata: { seat: "a" },
    });
    expect((trial.trial_end ?? 0) - trial.created).toBe(14 * 86_400);
    expect(trial.items.data[0]).toMatchObject({ quantity: 2, price: { id: basic.id, unit_amount: 500 } });

    const itemId = trial.items.data[0]?.id ?? "";
    const changed = await stripe.subscriptions.update(trial.id, {
      items: [{ id: itemId, quantity: 3 }, { price: addOn.id }],
      cancel_at_period_end: true,
      proration_behavior: "none",
    });
    expect(changed.items.data.map((item) => [item.price.id, item.quantity])).toEqual([
      [basic.id, 3],
      [addOn.id, 1],
    ]);
    expect(changed.cancel_at_period_end).toBe(true);
    expect(changed.cancel_at).toBe(trial.items.data[0]?.current_period_end);

    const sent = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: addOn.id }],
      collection_method: "send_invoice",
      days_until_due: 30,
    });
    expect(sent.status).toBe("active");
    expect(await stripe.invoices.retrieve(idOf(sent.latest_invoice))).toMatchObject({
      status: "open",
      collection_method: "send_invoice",
      total: 200,
    });

    const canceled = await stripe.subscriptions.cancel(trial.id, { cancellation_details: { comment: "too pricey" } });
    expect(canceled).toMatchObject({ status: "canceled" });
    expect(canceled.canceled_at).toEqual(expect.any(Number));

    expect((await stripe.subscriptions.list({ customer: customer.id })).data.map((item) => item.id)).toEqual([sent.id]);
    expect(
      (await collect(stripe.subscriptions.list({ customer: customer.id, status: "all", limit: 100 }))).map(
        (item) => item.id,
      ),
    ).toEqual([sent.id, trial.id]);
    expect(
      (await stripe.subscriptions.list({ customer: customer.id, status: "canceled" })).data.map((item) => item.id),
    ).toEqual([trial.id]);
  });

  it("refuses to charge a customer who has no card, in Stripe's words", async () => {
    const customer = await stripe.customers.create({ email: `${unique("nocard")}@example.com` });
    const price = await stripe.prices.create({
      product_data: { name: unique("Plan") },
      currency: "usd",
      unit_amount: 900,
      recurring: { interval: "month" },
    });
    const error = await rejectionOf(
      stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] }),
    );
    expect(error).toBeInstanceOf(StripeError);
    expect((error as StripeError).stripeMessage).toMatch(
      /^This customer has no attached payment source or default payment method/,
    );
    const incomplete = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      payment_behavior: "default_incomplete",
    });
    expect(incomplete.status).toBe("incomplete");
  });
});

describe("invoices", () => {
  it("drafts an invoice, adds items, finalizes it and lists it", async () => {
    const customer = await stripe.customers.create({ email: `${unique("billed")}@example.com`, name: "Bo" });
    const draft = await stripe.invoices.create({
      customer: customer.id,
      collection_method: "send_invoice",
      days_until_due: 30,
      description: "Consulting",
    });
    expect(draft).toMatchObject({ object: "invoice", status: "draft", total: 0, number: null, customer: customer.id });

    await stripe.invoiceItems.create({
      customer: customer.id,
      invoice: draft.id,
      amount: 12000,
      currency: "usd",
      description: "Workshop",
    });
    const hours = await stripe.prices.create({
      product_data: { name: unique("Hour") },
      currency: "usd",
      unit_amount: 5000,
    });
    const item = await stripe.invoiceItems.create({
      customer: customer.id,
      invoice: draft.id,
      pricing: { price: hours.id },
      quantity: 2,
    });
    expect(item).toMatchObject({ object: "invoiceitem", amount: 10000, quantity: 2, invoice: draft.id });

    const open = await stripe.invoices.finalizeInvoice(draft.id);
    expect(open).toMatchObject({ status: "open", total: 22000, amount_due: 22000, amount_remaining: 22000 });
    expect(open.number).toMatch(/-\d{4}$/);
    expect(open.hosted_invoice_url).toMatch(/^https:\/\/invoice\.stripe\.com\//);
    expect(open.lines.data.map((line) => line.amount)).toEqual([12000, 10000]);
    expect(open.due_date).toBe(draft.created + 30 * 86_400);

    expect((await stripe.invoices.retrieve(draft.id)).status).toBe("open");
    expect(
      (await stripe.invoices.list({ customer: customer.id, status: "open" })).data.map((invoice) => invoice.id),
    ).toEqual([draft.id]);
    expect((await collect(stripe.invoices.list({ customer: customer.id, limit: 100 }))).length).toBe(1);

    const twice = await rejectionOf(stripe.invoices.finalizeInvoice(draft.id));
    expect(twice).toMatchObject({
      type: "invalid_request_error",
      status: 400,
      stripeMessage: expect.stringContaining("already finalized"),
    });
  });
});
