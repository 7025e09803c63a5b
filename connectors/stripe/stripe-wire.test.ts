// What the in-app Stripe client puts on the wire and how it reads Stripe's
// answers: form encoding, headers, idempotency keys, pagination, errors, keys.
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { proxyLikeFetch } from "../testing/proxy-like-fetch";
import { STRIPE_API_VERSION } from "./api-version";
import { createStripeClient, StripeError } from "./client";
import { FAKE_STRIPE_RESTRICTED_KEY, FAKE_STRIPE_SECRET_KEY } from "./fake/credentials";
import { stripeRule } from "./rule";
import { clientWith, collect, fakeBase, formPairs, recorded, rejectionOf, unique } from "./stripe-test-client";

const UUID = /^kiln-generated-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("requests the client sends", () => {
  it("form-encodes nested params exactly, and carries no key of its own", async () => {
    const { stripe, sentByApp } = clientWith();
    const email = `${unique("enc")}@example.com`;
    const customer = await stripe.customers.create({
      email,
      name: "Zoë & Co = 100%",
      address: { line1: "1 Rue de l'Été", city: "Paris" },
      metadata: { "order id": "A&B=C", note: "ümlaut ✓" },
    });

    const sent = (await recorded("/v1/customers")).find((request) => request.body.includes(encodeURIComponent(email)));
    expect(sent?.method).toBe("POST");
    expect(sent?.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    expect(formPairs(sent)).toEqual([
      ["email", email],
      ["name", "Zoë & Co = 100%"],
      ["address[line1]", "1 Rue de l'Été"],
      ["address[city]", "Paris"],
      ["metadata[order id]", "A&B=C"],
      ["metadata[note]", "ümlaut ✓"],
    ]);
    expect(customer.metadata).toEqual({ "order id": "A&B=C", note: "ümlaut ✓" });

    // The app's own request: real Stripe host, no Authorization; the proxy adds the key and the version.
    const request = sentByApp.at(-1);
    expect(request?.url).toBe("https://api.stripe.com/v1/customers");
    expect(request?.headers.has("authorization")).toBe(false);
    expect(sent?.headers.authorization).toBe(`Bearer ${FAKE_STRIPE_SECRET_KEY}`);
    expect(sent?.headers["stripe-version"]).toBe(STRIPE_API_VERSION);
  });

  it("encodes lists of nested hashes with indexes (line_items[0][price_data][product_data][name])", async () => {
    const { stripe } = clientWith();
    const reference = unique("ref");
    const price = await stripe.prices.create({
      product_data: { name: unique("Mug") },
      currency: "usd",
      unit_amount: 1200,
    });
    await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [
        { price: price.id, quantity: 1 },
        {
          price_data: { currency: "usd", unit_amount: 450, product_data: { name: "Gift wrap", description: "Red" } },
          quantity: 2,
        },
      ],
      success_url: "https://shop.example.com/ok",
      client_reference_id: reference,
      metadata: { cart: "7" },
    });
    const sent = (await recorded("/v1/checkout/sessions")).find((request) => request.body.includes(reference));
    expect(formPairs(sent)).toEqual([
      ["mode", "payment"],
      ["line_items[0][price]", price.id],
      ["line_items[0][quantity]", "1"],
      ["line_items[1][price_data][currency]", "usd"],
      ["line_items[1][price_data][unit_amount]", "450"],
      ["line_items[1][price_data][product_data][name]", "Gift wrap"],
      ["line_items[1][price_data][product_data][description]", "Red"],
      ["line_items[1][quantity]", "2"],
      ["success_url", "https://shop.example.com/ok"],
      ["client_reference_id", reference],
      ["metadata[cart]", "7"],
    ]);
  });

  it("puts list filters in the query string and sends no body or key on reads", async () => {
    const { stripe } = clientWith();
    const product = unique("prod_filter");
    await stripe.prices.list({ product, active: true, lookup_keys: ["a", "b"], limit: 5 });
    const sent = (await recorded("/v1/prices?")).find((request) => request.url.includes(product));
    const query = new URL(sent?.url ?? "", "http://x").searchParams;
    expect([...query]).toEqual([
      ["product", product],
      ["active", "true"],
      ["lookup_keys[0]", "a"],
      ["lookup_keys[1]", "b"],
      ["limit", "5"],
    ]);
    expect(sent?.body).toBe("");
    expect(sent?.headers["idempotency-key"]).toBeUndefined();
  });
});

describe("idempotency", () => {
  it("sends a fresh UUID key with every write", async () => {
    const { stripe } = clientWith();
    const email = `${unique("idem")}@example.com`;
    const first = await stripe.customers.create({ email });
    await stripe.customers.update(first.id, { name: "Renamed" });
    const writes = (await recorded("/v1/customers")).filter(
      (request) =>
        request.method === "POST" &&
        (request.body.includes(encodeURIComponent(email)) || request.url === `/v1/customers/${first.id}`),
    );
    expect(writes).toHaveLength(2);
    const keys = writes.map((request) => request.headers["idempotency-key"] ?? "");
    for (const key of keys) expect(key).toMatch(UUID);
    expect(new Set(keys).size).toBe(2);
  });

  it("a retry with the same key returns the same object and creates nothing more", async () => {
    const { stripe } = clientWith();
    const email = `${unique("retry")}@example.com`;
    const idempotencyKey = `signup-${email}`;
    const first = await stripe.customers.create({ email }, { idempotencyKey });
    const retry = await stripe.customers.create({ email }, { idempotencyKey });
    expect(retry.id).toBe(first.id);
    expect((await stripe.customers.list({ email })).data).toHaveLength(1);
    const sent = (await recorded("/v1/customers")).filter(
      (request) => request.headers["idempotency-key"] === idempotencyKey,
    );
    expect(sent).toHaveLength(2);

    const misuse = await rejectionOf(stripe.customers.create({ email: `other-${email}` }, { idempotencyKey }));
    expect(misuse).toBeInstanceOf(StripeError);
    expect(misuse).toMatchObject({
      type: "idempotency_error",
      status: 400,
      stripeMessage: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
    });
  });
});

describe("pagination", () => {
  it("pages with starting_after by hand and walks every page of a list and a search with for await", async () => {
    const { stripe } = clientWith();
    const email = `${unique("page")}@example.com`;
    const created: string[] = [];
    for (let batch = 0; batch < 15; batch++) {
      const customers = await Promise.all(Array.from({ length: 10 }, () => stripe.customers.create({ email })));
      created.push(...customers.map((customer) => customer.id));
    }

    const first = await stripe.customers.list({ email, limit: 3 });
    expect(first.has_more).toBe(true);
    const second = await stripe.customers.list({ email, limit: 3, starting_after: first.data.at(-1)?.id ?? "" });
    expect(second.data).toHaveLength(3);
    expect(second.data.some((customer) => first.data.some((seen) => seen.id === customer.id))).toBe(false);

    const all = await collect(stripe.customers.list({ email, limit: 100 }));
    expect(all.map((customer) => customer.id).sort()).toEqual([...created].sort());
    const pages = (await recorded("/v1/customers?")).filter(
      (request) => request.url.includes(encodeURIComponent(email)) && request.url.includes("limit=100"),
    );
    expect(pages).toHaveLength(2);
    expect(new URL(pages[1]?.url ?? "", "http://x").searchParams.get("starting_after")).toBe(all[99]?.id);

    const found = await collect(stripe.customers.search({ query: `email:'${email}'`, limit: 100 }));
    expect(found.map((customer) => customer.id).sort()).toEqual([...created].sort());
    const searches = (await recorded("/v1/customers/search?")).filter((request) =>
      request.url.includes(encodeURIComponent(email)),
    );
    expect(searches).toHaveLength(2);
    expect(new URL(searches[1]?.url ?? "", "http://x").searchParams.get("page")).toMatch(/^page_/);
  });
});

describe("errors", () => {
  it("turns Stripe's error JSON into a StripeError with Stripe's message", async () => {
    const { stripe } = clientWith();
    const missing = await rejectionOf(stripe.customers.retrieve("cus_doesnotexist"));
    expect(missing).toBeInstanceOf(StripeError);
    expect(missing).toMatchObject({
      type: "invalid_request_error",
      status: 404,
      code: "resource_missing",
      param: "id",
      stripeMessage: "No such customer: 'cus_doesnotexist'",
    });
    expect((missing as StripeError).message).toBe(
      "Stripe has no such object; check the id. (Stripe 404: No such customer: 'cus_doesnotexist')",
    );
    expect((missing as StripeError).requestId).toMatch(/^req_/);

    const negative = await rejectionOf(
      stripe.prices.create({ product_data: { name: "x" }, currency: "usd", unit_amount: -5 }),
    );
    expect(negative).toMatchObject({
      type: "invalid_request_error",
      status: 400,
      param: "unit_amount",
      code: "parameter_invalid_integer",
    });
    expect((negative as StripeError).message).toContain("because of `unit_amount`");

    const wrongMode = await rejectionOf(
      stripe.checkout.sessions.create({
        mode: "payment",
        line_items: [
          {
            price_data: {
              currency: "usd",
              unit_amount: 100,
              product_data: { name: "x" },
              recurring: { interval: "month" },
            },
            quantity: 1,
          },
        ],
        success_url: "https://a.example.com",
      }),
    );
    expect((wrongMode as StripeError).stripeMessage).toBe(
      "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
    );
  });

  it("says plainly when the connected key is wrong", async () => {
    const { stripe } = clientWith("sk_test_51WrongKeyWrongKeyWrongKey00000000zz99");
    const error = await rejectionOf(stripe.customers.list());
    expect(error).toBeInstanceOf(StripeError);
    expect(error).toMatchObject({ type: "authentication_error", status: 401 });
    expect((error as StripeError).stripeMessage).toMatch(/^Invalid API Key provided: sk_test_\*+zz99$/);
    expect((error as StripeError).message).toMatch(
      /^Stripe did not accept the connected key\. The app owner should reconnect Stripe in Kiln/,
    );
  });

  it("reports an unreachable Stripe with the cause", async () => {
    const stripe = createStripeClient({
      fetch: () => Promise.reject(new Error("network access to api.stripe.com is not allowed for this app")),
    });
    const error = await rejectionOf(stripe.products.retrieve("prod_x"));
    expect(error).toBeInstanceOf(StripeError);
    expect(error).toMatchObject({ type: "connection_error", status: 0 });
    expect((error as StripeError).message).toContain("network access to api.stripe.com is not allowed for this app");
  });
});

describe("the Stripe rule", () => {
  it("pins the API version the SDK's types describe and allows only api.stripe.com", () => {
    expect(stripeRule.fixedHeaders).toEqual({ "Stripe-Version": Stripe.API_VERSION });
    expect(stripeRule.hosts).toEqual(["api.stripe.com"]);
    expect(stripeRule.upstreamVar).toBe("STRIPE_API_BASE");
  });

  it("its check passes with a secret key and with a restricted key, and fails with a wrong key", async () => {
    const check = (key: string) =>
      proxyLikeFetch(stripeRule, { upstreamBase: fakeBase(), credential: key })(
        `https://${stripeRule.check.host}${stripeRule.check.path}`,
        { method: stripeRule.check.method },
      );
    expect((await check(FAKE_STRIPE_SECRET_KEY)).status).toBe(200);
    expect((await check(FAKE_STRIPE_RESTRICTED_KEY)).status).toBe(200);
    expect((await check("sk_test_nope")).status).toBe(401);
    // Why not GET /v1/balance: a restricted key scoped to this connector's operations has no "Balance: Read".
    const balance = await proxyLikeFetch(stripeRule, {
      upstreamBase: fakeBase(),
      credential: FAKE_STRIPE_RESTRICTED_KEY,
    })("https://api.stripe.com/v1/balance");
    expect(balance.status).toBe(403);
  });

  it("lets a restricted key run the connector's operations", async () => {
    const { stripe } = clientWith(FAKE_STRIPE_RESTRICTED_KEY);
    const customer = await stripe.customers.create({ email: `${unique("rk")}@example.com` });
    expect(customer.id).toMatch(/^cus_/);
  });
});
