import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { SELF } from "cloudflare:test";
import { type TestUser, newUser } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";

const SIGNING_SECRET = "whsec_kilnTestSigningSecret0123456789";

// Records every event it is handed; an "invoice.payment_failed" makes it throw (so Stripe would retry).
const ORDERS_APP = {
  "src/index.ts": `import { defineTables, type AppEnv } from "kiln";
import type { StripeEvent } from "kiln/stripe";

export const tables = defineTables({ events: { eventId: "text", type: "text" } });

export async function onStripeEvent(event: StripeEvent, env: AppEnv<typeof tables>): Promise<void> {
  if (event.type === "invoice.payment_failed") throw new Error("could not mark the order unpaid");
  await env.DB.insert("events", { eventId: event.id, type: event.type });
}

export default { fetch: () => new Response("orders") };
`,
};

function stripeEvent(id: string, type = "checkout.session.completed"): string {
  return JSON.stringify({
    id,
    object: "event",
    type,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: { object: { id: "cs_test_1", object: "checkout.session" } },
  });
}

async function signed(payload: string, secret = SIGNING_SECRET, timestamp?: number): Promise<string> {
  return Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret,
    ...(timestamp === undefined ? {} : { timestamp }),
  });
}

async function endpoint(user: TestUser, files: Record<string, string> = ORDERS_APP) {
  const app = await appWithSource(user, `orders ${crypto.randomUUID().slice(0, 6)}`, files);
  const saved = await user.call("PUT", `/api/apps/${app.id}/stripe-webhook`, {
    environment: "preview",
    signingSecret: SIGNING_SECRET,
  });
  expect(saved.status).toBe(200);
  const path = new URL(saved.body.webhook.url as string).pathname;
  return { app, path };
}

async function SELFPost(path: string, payload: string, signature?: string) {
  const response = await SELF.fetch(`http://localhost:8787${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(signature === undefined ? {} : { "stripe-signature": signature }),
    },
    body: payload,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function recorded(user: TestUser, appId: string): Promise<{ eventId: string; type: string }[]> {
  return (await user.call("GET", `/api/apps/${appId}/data/events?env=preview`)).body.rows;
}

describe("Stripe webhooks", () => {
  it("hands a signed event to the app's onStripeEvent once, however often Stripe delivers it", async () => {
    const user = await newUser();
    const { app, path } = await endpoint(user);
    const payload = stripeEvent(`evt_${crypto.randomUUID().slice(0, 8)}`);
    expect(await SELFPost(path, payload, await signed(payload))).toEqual({
      status: 200,
      body: { received: true, handled: true },
    });
    expect(await SELFPost(path, payload, await signed(payload))).toEqual({
      status: 200,
      body: { received: true, duplicate: true },
    });
    expect((await recorded(user, app.id)).map((r) => r.type)).toEqual(["checkout.session.completed"]);
    // The delivery is a run of the app, once.
    const runs = (await user.call("GET", `/api/apps/${app.id}/runs`)).body.runs;
    expect(runs).toMatchObject([
      {
        automation: "onStripeEvent",
        trigger: "webhook",
        triggerKey: `stripe:${JSON.parse(payload).id}`,
        status: "succeeded",
        attempt: 1,
        output: { handled: true },
      },
    ]);
  });

  it.each([
    ["no signature", async (_payload: string) => undefined],
    [
      "a signature made with another secret",
      (payload: string) => signed(payload, "whsec_someoneElsesSecret0000000000"),
    ],
    [
      "a signature from ten minutes ago (a replay)",
      (payload: string) => signed(payload, SIGNING_SECRET, Math.floor(Date.now() / 1000) - 600),
    ],
    ["a body changed after signing", async (payload: string) => signed(payload.replace("checkout", "checkin"))],
  ])("refuses an event with %s and hands nothing to the app", async (_what, sign) => {
    const user = await newUser();
    const { app, path } = await endpoint(user);
    const payload = stripeEvent(`evt_${crypto.randomUUID().slice(0, 8)}`);
    const answer = await SELFPost(path, payload, await sign(payload));
    expect(answer.status).toBe(400);
    expect(await recorded(user, app.id)).toEqual([]);
  });

  it("lets Stripe retry an event the app failed on, and says why in the app's logs", async () => {
    const user = await newUser();
    const { app, path } = await endpoint(user);
    const payload = stripeEvent(`evt_${crypto.randomUUID().slice(0, 8)}`, "invoice.payment_failed");
    expect((await SELFPost(path, payload, await signed(payload))).status).toBe(500);
    // Not remembered as delivered: the retry reaches the app again.
    expect((await SELFPost(path, payload, await signed(payload))).status).toBe(500);
    const logs = (await user.call("GET", `/api/apps/${app.id}/logs?level=error`)).body.logs as { message: string }[];
    expect(
      logs.some(
        (l) => l.message.includes("could not mark the order unpaid") && l.message.includes("Stripe will send it again"),
      ),
    ).toBe(true);
    // One run, two attempts: Stripe's retry is the run's next attempt.
    const runs = (await user.call("GET", `/api/apps/${app.id}/runs`)).body.runs;
    expect(runs).toMatchObject([
      { automation: "onStripeEvent", status: "failed", attempt: 2, error: "could not mark the order unpaid" },
    ]);
    expect(
      (await user.call("GET", `/api/runs/${runs[0].id}`)).body.attempts.map((a: { status: string }) => a.status),
    ).toEqual(["failed", "failed"]);
  });

  it("accepts events for a version without a handler, and tells the owner nothing handled them", async () => {
    const user = await newUser();
    const { path } = await endpoint(user, {
      "src/index.ts": `export default { fetch: () => new Response("no hooks") };`,
    });
    const payload = stripeEvent(`evt_${crypto.randomUUID().slice(0, 8)}`);
    expect(await SELFPost(path, payload, await signed(payload))).toEqual({
      status: 200,
      body: { received: true, handled: false },
    });
  });

  it("shows the owner the endpoint's address and last four characters, never the secret, and hides it from others", async () => {
    const user = await newUser();
    const { app, path } = await endpoint(user);
    const listed = await user.call("GET", `/api/apps/${app.id}/stripe-webhook`);
    expect(listed.body.webhooks).toEqual([
      {
        environment: "preview",
        url: `http://localhost:8787${path}`,
        last4: SIGNING_SECRET.slice(-4),
        updatedAt: expect.any(String),
      },
    ]);
    expect(listed.text).not.toContain(SIGNING_SECRET);
    const stranger = await newUser();
    expect((await stranger.call("GET", `/api/apps/${app.id}/stripe-webhook`)).status).toBe(404);
    expect(
      (
        await user.call("PUT", `/api/apps/${app.id}/stripe-webhook`, {
          environment: "preview",
          signingSecret: "sk_test_not_a_signing_secret",
        })
      ).status,
    ).toBe(400);
  });
});
