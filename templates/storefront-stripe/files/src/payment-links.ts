// Stripe objects for a product, made the first time someone wants to buy it and then reused.
import type { AppEnv, Row } from "kiln";
import { stripe, type StripeEvent } from "kiln/stripe";
import type { tables } from "./tables";

type Env = AppEnv<typeof tables>;
type Product = Row<(typeof tables)["products"]>;

/** The product's payment link URL: creates its Stripe product, price and link on first use. */
export async function paymentLinkFor(env: Env, product: Product): Promise<string> {
  if (product.payment_link_url !== null) return product.payment_link_url;
  // Idempotency keys named after the product: a retry after a failure reuses what Stripe already made.
  const key = `${env.KILN.appId}-${env.KILN.environment}-product-${product.id}`;
  const created = await stripe.products.create(
    { name: product.name, description: product.description ?? undefined, default_price_data: { currency: product.currency ?? "usd", unit_amount: product.price_cents }, metadata: { product_id: String(product.id) } },
    { idempotencyKey: `${key}-product` },
  );
  const priceId = created.default_price;
  if (typeof priceId !== "string") throw new Error(`Stripe made the product "${product.name}" without a price.`);
  const link = await stripe.paymentLinks.create({ line_items: [{ price: priceId, quantity: 1 }], metadata: { product_id: String(product.id) } }, { idempotencyKey: `${key}-link` });
  await env.DB.update("products", product.id, { stripe_price_id: priceId, payment_link_id: link.id, payment_link_url: link.url });
  return link.url;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** Records a completed checkout as an order (once per session), tied to the product its payment link sells. */
export async function recordOrder(env: Env, event: StripeEvent): Promise<void> {
  const session = event.data.object;
  const [known] = await env.DB.list("orders", { where: { session_id: session.id }, limit: 1 });
  if (known !== undefined) return;
  const metadata = (session.metadata ?? {}) as Record<string, unknown>;
  const linkId = text(session.payment_link);
  const [byLink] = linkId === null ? [] : await env.DB.list("products", { where: { payment_link_id: linkId }, limit: 1 });
  const productId = byLink?.id ?? (text(metadata.product_id) === null ? null : Number(metadata.product_id));
  const details = (session.customer_details ?? {}) as Record<string, unknown>;
  await env.DB.insert("orders", {
    session_id: session.id,
    product_id: productId,
    amount_cents: typeof session.amount_total === "number" ? session.amount_total : null,
    currency: text(session.currency),
    email: text(details.email) ?? text(session.customer_email),
    status: session.payment_status === "paid" ? "paid" : String(session.payment_status ?? "unknown"),
  });
}
