// The shop's data: products (with their Stripe price and payment link once made) and paid orders.
import { defineTables } from "kiln";

/** Products and orders; an order is written when Stripe says its checkout completed. */
export const tables = defineTables({
  products: { name: "text", description: "text?", price_cents: "integer", currency: { type: "text", default: "usd" }, stripe_price_id: "text?", payment_link_id: "text?", payment_link_url: "text?" },
  orders: { session_id: "text", product_id: "integer?", amount_cents: "integer?", currency: "text?", email: "text?", status: "text" },
});
