// "Send a test event": a signed Stripe event of a chosen type, delivered through the path Stripe's own deliveries
// take, so `onStripeEvent` can be tried before a real payment.
import { describe, expect, it } from "vitest";
import { newUser, visitAsOwner } from "../../test/api-client";
import { deployFiles } from "../../test/templates";

const shop = `import { Hono } from "hono";
import { defineTables, type AppEnv } from "kiln";
import type { StripeEvent } from "kiln/stripe";

export const tables = defineTables({ paid: { email: "text", amount: "integer" } });

export async function onStripeEvent(event: StripeEvent, env: AppEnv<typeof tables>) {
  if (event.type !== "checkout.session.completed") return;
  const session = event.data.object as { customer_details?: { email?: string }; amount_total?: number };
  await env.DB.insert("paid", { email: session.customer_details?.email ?? "?", amount: session.amount_total ?? 0 }, { key: event.id });
}

const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();
app.get("/", async (c) => c.json(await c.env.DB.list("paid")));
export default app;
`;

describe("Stripe test events", () => {
  it("sign a chosen event with the endpoint's secret and deliver it to onStripeEvent, recorded as a run", async () => {
    const user = await newUser();
    const app = await deployFiles(user, "test events", { "src/index.ts": shop });
    expect((await user.call("GET", `/api/apps/${app.id}/stripe-webhook`)).body.webhooks).toEqual([]);

    const sent = await user.call("POST", `/api/apps/${app.id}/stripe-webhook/test`, {
      type: "checkout.session.completed",
      object: { amount_total: 4900, customer_details: { email: "ada@example.com" } },
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ environment: "preview", createdEndpoint: true, delivered: true, status: 200 });
    expect(sent.body.answer).toEqual({ received: true, handled: true });
    expect(sent.body.event).toMatchObject({ object: "event", type: "checkout.session.completed", livemode: false });
    expect(sent.body.url).toMatch(/\/api\/hooks\/stripe\/whk_/);
    const rows = JSON.parse((await visitAsOwner(user, app.id, app.previewUrl)).text) as {
      email: string;
      amount: number;
    }[];
    expect(rows.map((r) => [r.email, r.amount])).toEqual([["ada@example.com", 4900]]);

    // The endpoint now shows in the API; the next test reuses it; each delivery is a run in the history.
    const hooks = (await user.call("GET", `/api/apps/${app.id}/stripe-webhook`)).body.webhooks as { url: string }[];
    expect(hooks.map((h) => h.url)).toEqual([sent.body.url]);
    const again = await user.call("POST", `/api/apps/${app.id}/stripe-webhook/test`, { type: "invoice.paid" });
    expect(again.body).toMatchObject({ createdEndpoint: false, delivered: true, url: sent.body.url });
    const runs = (await user.call("GET", `/api/apps/${app.id}/runs`)).body.runs as {
      automation: string;
      trigger: string;
    }[];
    expect(runs.filter((r) => r.automation === "onStripeEvent" && r.trigger === "webhook")).toHaveLength(2);
  });

  it("refuses an event type it cannot make, naming the ones it can", async () => {
    const user = await newUser();
    const app = await deployFiles(user, "test events", { "src/index.ts": shop });
    const refused = await user.call("POST", `/api/apps/${app.id}/stripe-webhook/test`, {
      type: "radar.early_fraud_warning.created",
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain("checkout.session.completed");
  });
});
