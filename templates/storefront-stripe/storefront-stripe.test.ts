// The storefront template, deployed through the real API; its Stripe calls go
// through Kiln's egress proxy to the Stripe fake, and orders arrive as signed events.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newUser, ownerCookie, visit } from "../../worker/test/api-client";
import { askApp } from "../../worker/test/connector-app";
import { fakeRequests } from "../../connectors/testing/fake-requests";
import { templateFiles } from "../../worker/src/templates";
import { connectStripe, deliverStripeEvent, stripeFake, stripeWebhookPath } from "../../worker/test/template-stripe";
import { deployFiles, pageText } from "../../worker/test/templates";

interface Product {
  id: number;
  name: string;
  price_cents: number;
  stripe_price_id: string | null;
  payment_link_id: string | null;
  payment_link_url: string | null;
}

describe("storefront-stripe template", () => {
  it("makes a product's Stripe price and payment link on the first buy click only, and records the paid order from Stripe's event", async () => {
    const user = await newUser();
    await connectStripe(user);
    const app = await deployFiles(user, "shop", templateFiles("storefront-stripe"));
    // Adding products and reading orders are the owner's: Kiln's session, not a key the owner must set.
    const admin = { cookie: await ownerCookie(user, app.id, app.previewUrl) };
    const add = (body: unknown, headers: Record<string, string> = admin) =>
      visit(`${app.previewUrl}api/products`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });

    expect((await add({ name: "Sourdough loaf", price_cents: 850 }, {})).status).toBe(401);
    const created = await add({ name: "Sourdough loaf", description: "Baked this morning", price_cents: 850 });
    expect(created.status).toBe(201);
    const product = JSON.parse(created.text) as Product;
    expect((await add({ name: "Crumb", price_cents: 10 })).status).toBe(400);

    const shop = await pageText(app.previewUrl);
    expect(shop).toContain("<h1>Shop</h1>");
    expect(shop).toContain("Sourdough loaf");
    expect(shop).toContain("8.50 USD");
    expect(shop).toContain(`href="/buy/${product.id}"`);

    const buy = await visit(`${app.previewUrl}buy/${product.id}`, { redirect: "manual" });
    expect(buy.status).toBe(302);
    const linkUrl = buy.headers.get("location")!;
    expect(linkUrl).toMatch(/^https:\/\/buy\.stripe\.com\//);
    const again = await visit(`${app.previewUrl}buy/${product.id}`, { redirect: "manual" });
    expect(again.headers.get("location")).toBe(linkUrl);

    const stored = (await askApp<Product[]>(`${app.previewUrl}api/products`)).json[0]!;
    expect(stored.payment_link_url).toBe(linkUrl);
    const price = await stripeFake<{ unit_amount: number; currency: string; product: string }>(
      "GET",
      `/v1/prices/${stored.stripe_price_id}`,
    );
    expect(price).toMatchObject({ unit_amount: 850, currency: "usd" });
    expect((await stripeFake<{ name: string }>("GET", `/v1/products/${price.product}`)).name).toBe("Sourdough loaf");
    // One product and one link were made, both with idempotency keys; the second click made no Stripe call.
    const writes = (await fakeRequests(env.STRIPE_API_BASE)).filter(
      (r) => r.method === "POST" && (r.headers["idempotency-key"] ?? "").startsWith(app.id),
    );
    expect(writes.map((r) => r.url)).toEqual(["/v1/products", "/v1/payment_links"]);

    const path = await stripeWebhookPath(user, app.id);
    const session = {
      id: "cs_test_storefront1",
      object: "checkout.session",
      payment_link: stored.payment_link_id,
      amount_total: 850,
      currency: "usd",
      payment_status: "paid",
      customer_details: { email: "buyer@example.com", name: "B. Uyer" },
      metadata: {},
    };
    expect(await deliverStripeEvent(path, "checkout.session.completed", session)).toEqual({
      status: 200,
      body: { received: true, handled: true },
    });
    await deliverStripeEvent(path, "checkout.session.completed", session); // a second delivery of the same session under a new event id
    const orders = await visit(`${app.previewUrl}api/orders`, { headers: admin });
    expect(JSON.parse(orders.text)).toEqual([
      expect.objectContaining({
        session_id: "cs_test_storefront1",
        product_id: product.id,
        amount_cents: 850,
        currency: "usd",
        email: "buyer@example.com",
        status: "paid",
      }),
    ]);
    expect((await visit(`${app.previewUrl}api/orders`)).status).toBe(401);
  });

  it("answers a plain-words error when the owner has not connected Stripe", async () => {
    const user = await newUser();
    const app = await deployFiles(user, "shop", templateFiles("storefront-stripe"));
    const added = await askApp<Product>(`${app.previewUrl}api/products`, {
      method: "POST",
      body: { name: "Mug", price_cents: 1200 },
      headers: { cookie: await ownerCookie(user, app.id, app.previewUrl) },
    });
    const buy = await visit(`${app.previewUrl}buy/${added.json.id}`, { redirect: "manual" });
    expect(buy.status).toBe(502);
    expect(buy.text).toContain("Stripe is not connected");
  });
});
