// __APP_TITLE__: products with Stripe buy buttons; orders recorded from Stripe's events.
// Page: GET / (products), GET /buy/:id (to Stripe's payment page), GET /thanks.
// API: GET/POST /api/products, GET /api/orders. Adding products and reading orders
// are the owner's (requireOwner: Kiln signs them in); buyers need no account.
import { Hono } from "hono";
import { html } from "hono/html";
import { type AppEnv, requireOwner } from "kiln";
import { StripeError, type StripeEvent } from "kiln/stripe";
import { z } from "zod";
import { page } from "./page";
import { paymentLinkFor, recordOrder } from "./payment-links";
import { tables } from "./tables";

export { tables };

const APP_TITLE = "__APP_TITLE__";

type Env = AppEnv<typeof tables>;
const app = new Hono<{ Bindings: Env }>();

const productInput = z.object({
  name: z.string().trim().min(1, "A product needs a name.").max(200),
  description: z.string().trim().max(1000).optional(),
  price_cents: z.number().int("Give the price in cents, e.g. 1500 for 15.00.").min(50, "Stripe needs at least 50 cents."),
  currency: z.string().regex(/^[a-z]{3}$/, "A currency is three lower-case letters, like usd.").optional(),
});

app.onError((error, c) => {
  if (error instanceof z.ZodError) return c.json({ error: error.issues.map((i) => i.message).join(" ") }, 400);
  if (error instanceof StripeError) return c.json({ error: `Stripe: ${error.message}` }, 502);
  console.error(error);
  return c.json({ error: error instanceof Error ? error.message : "Something went wrong." }, 500);
});

function money(cents: number, currency: string): string {
  return `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`;
}

app.get("/", async (c) => {
  const products = await c.env.DB.list("products", { orderBy: "id", order: "asc", limit: 500 });
  const body = products.length === 0
    ? html`<section><p class="empty">Nothing for sale yet. Add products with POST /api/products.</p></section>`
    : html`${products.map((p) => html`<section><h2>${p.name}</h2>${p.description ? html`<p>${p.description}</p>` : ""}<p><strong>${money(p.price_cents, p.currency ?? "usd")}</strong></p>
<a href="/buy/${String(p.id)}"><button type="button">Buy now</button></a></section>`)}`;
  return c.html(page(APP_TITLE, "Pay securely with Stripe.", body));
});

app.get("/buy/:id", async (c) => {
  const product = await c.env.DB.get("products", Number(c.req.param("id")));
  if (product === null) return c.html(page(APP_TITLE, "That product is not for sale.", html`<p><a href="/">Back to the shop</a></p>`), 404);
  return c.redirect(await paymentLinkFor(c.env, product), 302);
});

app.get("/thanks", (c) => c.html(page(APP_TITLE, "Thank you for your order!", html`<p>A receipt is on its way. <a href="/">Back to the shop</a></p>`)));

app.get("/api/products", async (c) => c.json(await c.env.DB.list("products", { orderBy: "id", order: "asc", limit: 500 })));

app.post("/api/products", requireOwner(), async (c) => {
  const input = productInput.parse(await c.req.json());
  const product = await c.env.DB.insert("products", { name: input.name, description: input.description ?? null, price_cents: input.price_cents, currency: input.currency ?? "usd" });
  return c.json(product, 201);
});

app.get("/api/orders", requireOwner(), async (c) => {
  return c.json(await c.env.DB.list("orders", { orderBy: "id", order: "desc", limit: 1000 }));
});

/** Kiln hands this Stripe's verified events: a completed checkout becomes an order. */
export async function onStripeEvent(event: StripeEvent, env: Env): Promise<void> {
  if (event.type === "checkout.session.completed") await recordOrder(env, event);
}

export default app;
