// kiln/stripe end to end: app source importing it, uploaded through the API,
// served in a real Dynamic Worker; its calls leave only through the real
// egress proxy to the loopback Stripe fake, which checks the injected key.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { STRIPE_API_VERSION } from "../../../connectors/stripe/api-version";
import { FAKE_STRIPE_SECRET_KEY } from "../../../connectors/stripe/fake/credentials";
import type { RecordedRequest } from "../../../connectors/types";
import { newUser, type TestUser } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";
import { askApp, auditedCalls, expectSecretsNowhere, runMarker } from "../../test/connector-app";
import { fakeRequests } from "../../../connectors/testing/fake-requests";

const SHOP_APP = {
  "src/index.ts": `import { Hono } from "hono";
import { stripe, StripeError } from "kiln/stripe";

const app = new Hono();

// What a visitor sees of a failure: the typed error's fields, or the plain message.
function failure(error: unknown) {
  if (error instanceof StripeError) {
    return { kind: "StripeError", type: error.type, status: error.status, code: error.code, param: error.param, stripeMessage: error.stripeMessage, message: error.message };
  }
  return { kind: error instanceof Error ? error.name : "unknown", message: error instanceof Error ? error.message : String(error) };
}
app.onError((error, c) => c.json(failure(error), 502));

app.post("/customers", async (c) => {
  const { email, run } = await c.req.json<{ email: string; run: string }>();
  const created = await stripe.customers.create({ email, name: "Ada Lovelace", metadata: { plan: "pro", run } });
  const fetched = await stripe.customers.retrieve(created.id);
  console.log("stripe customer " + run + " " + JSON.stringify(fetched));
  return c.json({ created, fetched });
});

app.get("/customers", async (c) => {
  const ids: string[] = [];
  const email = c.req.query("email") ?? "";
  for await (const customer of stripe.customers.list({ email, limit: 100 })) ids.push(customer.id);
  console.log("stripe listed " + ids.length + " for " + email);
  return c.json({ ids });
});

app.post("/checkout", async (c) => {
  const { run } = await c.req.json<{ run: string }>();
  const product = await stripe.products.create({ name: "Workshop seat " + run, metadata: { run } });
  const price = await stripe.prices.create({ product: product.id, currency: "usd", unit_amount: 2500, metadata: { run } });
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ price: price.id, quantity: 2 }],
    success_url: "https://shop.example/thanks?session={CHECKOUT_SESSION_ID}",
    client_reference_id: run,
    metadata: { run },
  });
  console.log("stripe checkout " + run + " " + JSON.stringify(session));
  return c.json({ product, price, session });
});

app.post("/bad", async (c) => {
  const { run } = await c.req.json<{ run: string }>();
  try {
    await stripe.customers.create({ email: "not an email " + run, metadata: { run } });
    return c.json({ created: true });
  } catch (error) {
    console.log("stripe refused " + run);
    return c.json({ isStripeError: error instanceof StripeError, ...failure(error) }, 400);
  }
});

export default app;
`,
};

interface Customer {
  id: string;
  email: string | null;
  name: string | null;
  metadata: Record<string, string>;
}

async function connectedShop(): Promise<{ user: TestUser; app: Awaited<ReturnType<typeof appWithSource>> }> {
  const user = await newUser();
  expect((await user.call("PUT", "/api/connections/stripe", { key: FAKE_STRIPE_SECRET_KEY })).status).toBe(201);
  const app = await appWithSource(user, `shop ${runMarker("")}`, SHOP_APP);
  return { user, app };
}

/** This run's requests at the Stripe fake: those whose URL or body carries `run`. */
async function stripeRequestsOf(run: string): Promise<RecordedRequest[]> {
  return (await fakeRequests(env.STRIPE_API_BASE)).filter(
    (request) => request.url.includes(run) || request.body.includes(run),
  );
}

// Setup straight at the fake, as if made in the Stripe dashboard: `count` customers sharing `email`.
async function seedCustomers(email: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 20) {
    const batch = Array.from({ length: Math.min(20, count - start) }, async () => {
      const response = await fetch(`${env.STRIPE_API_BASE}/v1/customers`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${FAKE_STRIPE_SECRET_KEY}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ email }).toString(),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { id: string }).id;
    });
    ids.push(...(await Promise.all(batch)));
  }
  return ids;
}

function expectOwnerKeyAndVersion(request: RecordedRequest): void {
  expect(request.headers.authorization).toBe(`Bearer ${FAKE_STRIPE_SECRET_KEY}`);
  expect(request.headers["stripe-version"]).toBe(STRIPE_API_VERSION);
}

describe("kiln/stripe in a deployed app, through the egress proxy", () => {
  it("creates a customer with metadata and reads it back; every call carries the owner's key and the pinned version, every write an Idempotency-Key", async () => {
    const { user, app } = await connectedShop();
    const run = runMarker("run");
    const email = `${run}@example.com`;
    const answer = await askApp<{ created: Customer; fetched: Customer }>(`${app.previewUrl}customers`, {
      method: "POST",
      body: { email, run },
    });
    expect(answer.status).toBe(200);
    expect(answer.json.created).toMatchObject({
      id: expect.stringMatching(/^cus_/),
      email,
      name: "Ada Lovelace",
      metadata: { plan: "pro", run },
    });
    expect(answer.json.fetched).toEqual(answer.json.created);

    const received = await fakeRequests(env.STRIPE_API_BASE);
    const create = received.filter((r) => r.method === "POST" && r.url === "/v1/customers" && r.body.includes(run));
    expect(create).toHaveLength(1);
    expect(new URLSearchParams(create[0]!.body).get("metadata[plan]")).toBe("pro");
    expect(create[0]!.headers["idempotency-key"]).toMatch(/^kiln-generated-[0-9a-f-]{36}$/);
    const retrieve = received.filter((r) => r.method === "GET" && r.url === `/v1/customers/${answer.json.created.id}`);
    expect(retrieve).toHaveLength(1);
    for (const request of [...create, ...retrieve]) expectOwnerKeyAndVersion(request);
    // The proxy drops Kiln's own request id before the call leaves.
    expect(create[0]!.headers["x-kiln-request-id"]).toBeUndefined();

    const calls = await auditedCalls(user, app.id);
    expect(calls.map((c) => [c.connector, c.method, c.host, c.path, c.outcome, c.status])).toEqual([
      ["stripe", "POST", "api.stripe.com", "/v1/customers", "sent", 200],
      ["stripe", "GET", "api.stripe.com", `/v1/customers/${answer.json.created.id}`, "sent", 200],
    ]);
    await expectSecretsNowhere(user, app.id, [FAKE_STRIPE_SECRET_KEY], [answer], `stripe customer ${run}`);
  });

  it("for await over a list walks every page: 101 customers come back as two calls of 100, the second after the first page's last id", async () => {
    const { user, app } = await connectedShop();
    const email = `${runMarker("many")}@example.com`;
    const seeded = await seedCustomers(email, 101);
    const answer = await askApp<{ ids: string[] }>(`${app.previewUrl}customers?email=${encodeURIComponent(email)}`);
    expect(answer.status).toBe(200);
    expect(answer.json.ids).toHaveLength(101);
    expect(new Set(answer.json.ids)).toEqual(new Set(seeded));

    const pages = (await fakeRequests(env.STRIPE_API_BASE)).filter(
      (r) =>
        r.method === "GET" &&
        r.url.startsWith("/v1/customers?") &&
        new URL(r.url, "http://x").searchParams.get("email") === email,
    );
    expect(pages).toHaveLength(2);
    const [first, second] = pages.map((page) => new URL(page.url, "http://x").searchParams);
    expect(first!.get("limit")).toBe("100");
    expect(first!.has("starting_after")).toBe(false);
    expect(second!.get("limit")).toBe("100");
    expect(second!.get("starting_after")).toBe(answer.json.ids[99]);
    for (const page of pages) expectOwnerKeyAndVersion(page);
    expect((await auditedCalls(user, app.id)).map((c) => [c.path, c.outcome])).toEqual([
      ["/v1/customers?email=&limit=", "sent"],
      ["/v1/customers?email=&limit=&starting_after=", "sent"],
    ]);
    await expectSecretsNowhere(user, app.id, [FAKE_STRIPE_SECRET_KEY], [answer], `stripe listed 101 for ${email}`);
  });

  it("creates a product, a price and a checkout session for it", async () => {
    const { user, app } = await connectedShop();
    const run = runMarker("run");
    const answer = await askApp<{
      product: { id: string; name: string };
      price: { id: string; product: string; unit_amount: number };
      session: Record<string, unknown>;
    }>(`${app.previewUrl}checkout`, { method: "POST", body: { run } });
    expect(answer.status).toBe(200);
    const { product, price, session } = answer.json;
    expect(product).toMatchObject({ id: expect.stringMatching(/^prod_/), name: `Workshop seat ${run}` });
    expect(price).toMatchObject({ id: expect.stringMatching(/^price_/), product: product.id, unit_amount: 2500 });
    expect(session).toMatchObject({
      id: expect.stringMatching(/^cs_test_/),
      mode: "payment",
      status: "open",
      amount_total: 5000,
      currency: "usd",
      client_reference_id: run,
      url: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\//),
    });

    const writes = (await stripeRequestsOf(run)).filter((r) => r.method === "POST");
    expect(writes.map((r) => r.url)).toEqual(["/v1/products", "/v1/prices", "/v1/checkout/sessions"]);
    expect(new URLSearchParams(writes[2]!.body).get("line_items[0][price]")).toBe(price.id);
    const keys = writes.map((r) => r.headers["idempotency-key"]);
    for (const key of keys) expect(key).toMatch(/^kiln-generated-[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(3);
    for (const request of writes) expectOwnerKeyAndVersion(request);
    expect((await auditedCalls(user, app.id)).map((c) => [c.method, c.path, c.status])).toEqual([
      ["POST", "/v1/products", 200],
      ["POST", "/v1/prices", 200],
      ["POST", "/v1/checkout/sessions", 200],
    ]);
    await expectSecretsNowhere(user, app.id, [FAKE_STRIPE_SECRET_KEY], [answer], `stripe checkout ${run}`);
  });

  it("a bad parameter reaches the app as a StripeError with Stripe's own message; the key stays out of it", async () => {
    const { user, app } = await connectedShop();
    const run = runMarker("run");
    const answer = await askApp<{
      isStripeError: boolean;
      kind: string;
      type: string;
      status: number;
      code: string;
      param: string;
      stripeMessage: string;
      message: string;
    }>(`${app.previewUrl}bad`, { method: "POST", body: { run } });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({
      isStripeError: true,
      kind: "StripeError",
      type: "invalid_request_error",
      status: 400,
      code: "email_invalid",
      param: "email",
      stripeMessage: `Invalid email address: not an email ${run}`,
    });
    expect(answer.json.message).toBe(
      `Stripe refused the request because of \`email\`. (Stripe 400: Invalid email address: not an email ${run})`,
    );

    // Stripe saw it once (a 400 is not retried), with the owner's key.
    const sent = await stripeRequestsOf(run);
    expect(sent).toHaveLength(1);
    expectOwnerKeyAndVersion(sent[0]!);
    expect(sent[0]!.headers["idempotency-key"]).toMatch(/^kiln-generated-[0-9a-f-]{36}$/);
    expect((await auditedCalls(user, app.id)).map((c) => [c.method, c.path, c.outcome, c.status])).toEqual([
      ["POST", "/v1/customers", "sent", 400],
    ]);
    await expectSecretsNowhere(user, app.id, [FAKE_STRIPE_SECRET_KEY], [answer], `stripe refused ${run}`);
  });

  it("before the owner connects Stripe, the app's StripeError says Stripe is not connected, and nothing reaches Stripe", async () => {
    const user = await newUser();
    const app = await appWithSource(user, `shop ${runMarker("")}`, SHOP_APP);
    const run = runMarker("run");
    const answer = await askApp<{ kind: string; type: string; status: number; message: string }>(
      `${app.previewUrl}customers`,
      { method: "POST", body: { email: `${run}@example.com`, run } },
    );
    expect(answer.status).toBe(502);
    expect(answer.json).toMatchObject({ kind: "StripeError", type: "connection_error", status: 0 });
    // The egress's own words lead, not a generic "try again in a moment".
    expect(answer.json.message).toBe("Stripe is not connected: the app's owner must connect Stripe in Kiln first.");
    expect(await stripeRequestsOf(run)).toEqual([]);
    const calls = await auditedCalls(user, app.id);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls)
      expect(call).toMatchObject({ connector: "stripe", outcome: "not_connected", status: null });
  });
});
