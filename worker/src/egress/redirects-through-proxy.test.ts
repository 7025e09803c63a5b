// Upstream redirects seen by a deployed app's egress: followed with the
// owner's credential only within the connector's own hosts; a redirect
// anywhere else (even to another connector the app may call) is not followed,
// so the credential never reaches it. The Stripe fake's `/__fake/redirect`
// answers the 3xx a test chooses.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { AIRTABLE_FAKE_TOKEN } from "../../../connectors/airtable/fake/credentials";
import { STRIPE_API_VERSION } from "../../../connectors/stripe/api-version";
import { FAKE_STRIPE_SECRET_KEY } from "../../../connectors/stripe/fake/credentials";
import { newUser, type TestUser } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";
import { type AppAnswer, askApp, auditedCalls, expectSecretsNowhere, runMarker } from "../../test/connector-app";
import { fakeRequests } from "../../../connectors/testing/fake-requests";

// Uses both clients (so the version may call both hosts) and lets the test send any raw call.
const RAW_CALLS_APP = {
  "src/index.ts": `import { Hono } from "hono";
import { stripe } from "kiln/stripe";
import { airtable } from "kiln/airtable";

const app = new Hono();

app.get("/clients", async (c) => c.json({ customers: (await stripe.customers.list({ limit: 1 })).data.length, bases: (await airtable.listBases()).length }));

app.post("/raw", async (c) => {
  const { url, method, body } = await c.req.json<{ url: string; method: string; body?: string }>();
  try {
    const response = await fetch(url, { method, body, headers: body === undefined ? {} : { "content-type": "application/x-www-form-urlencoded" } });
    const text = await response.text();
    console.log("raw call answered " + response.status);
    return c.json({ status: response.status, redirected: response.redirected, text });
  } catch (error) {
    console.log("raw call refused: " + (error as Error).message);
    return c.json({ error: (error as Error).message });
  }
});

export default app;
`,
};

interface RawAnswer {
  status?: number;
  text?: string;
  error?: string;
}

const REDIRECT = "https://api.stripe.com/__fake/redirect";

function redirectUrl(to: string, options: { status?: number; hops?: number } = {}): string {
  const query = new URLSearchParams({ to });
  if (options.status !== undefined) query.set("status", String(options.status));
  if (options.hops !== undefined) query.set("hops", String(options.hops));
  return `${REDIRECT}?${query}`;
}

async function connectedApp(): Promise<{ user: TestUser; app: Awaited<ReturnType<typeof appWithSource>> }> {
  const user = await newUser();
  expect((await user.call("PUT", "/api/connections/stripe", { key: FAKE_STRIPE_SECRET_KEY })).status).toBe(201);
  expect((await user.call("PUT", "/api/connections/airtable", { key: AIRTABLE_FAKE_TOKEN })).status).toBe(201);
  const app = await appWithSource(user, `raw ${runMarker("")}`, RAW_CALLS_APP);
  const clients = await askApp<{ customers: number; bases: number }>(`${app.previewUrl}clients`);
  expect(clients.status).toBe(200);
  return { user, app };
}

function raw(appUrl: string, call: { url: string; method?: string; body?: string }): Promise<AppAnswer<RawAnswer>> {
  return askApp<RawAnswer>(`${appUrl}raw`, { method: "POST", body: { method: "GET", ...call } });
}

/** Requests at a fake whose URL or body carries `marker`. */
async function reaching(base: string | undefined, marker: string) {
  return (await fakeRequests(base)).filter((request) => request.url.includes(marker) || request.body.includes(marker));
}

describe("redirects an upstream answers, through the egress proxy", () => {
  it("follows a redirect within api.stripe.com (absolute, relative chains up to 5, 307 keeping the POST, 303 turning it into a GET) with the owner's key", async () => {
    const { user, app } = await connectedApp();
    const [absolute, chained, kept, switched] = [
      runMarker("abs"),
      runMarker("chain"),
      runMarker("kept"),
      runMarker("seeother"),
    ];
    const answers: AppAnswer<RawAnswer>[] = [];

    answers.push(
      await raw(app.previewUrl, {
        url: redirectUrl(`https://api.stripe.com/v1/customers?email=${absolute}%40example.com`),
      }),
    );
    answers.push(
      await raw(app.previewUrl, { url: redirectUrl(`/v1/customers?email=${chained}%40example.com`, { hops: 5 }) }),
    );
    answers.push(
      await raw(app.previewUrl, {
        url: redirectUrl("https://api.stripe.com/v1/customers", { status: 307 }),
        method: "POST",
        body: `email=${kept}%40example.com`,
      }),
    );
    answers.push(
      await raw(app.previewUrl, {
        url: redirectUrl(`/v1/customers?email=${switched}%40example.com`, { status: 303 }),
        method: "POST",
        body: "description=dropped",
      }),
    );
    for (const answer of answers) expect(answer.json.status).toBe(200);
    expect(JSON.parse(answers[0]!.json.text!)).toMatchObject({ object: "list", data: [] });
    expect(JSON.parse(answers[2]!.json.text!)).toMatchObject({ object: "customer", email: `${kept}@example.com` });
    expect(JSON.parse(answers[3]!.json.text!)).toMatchObject({ object: "list", data: [] });

    for (const [marker, method] of [
      [absolute, "GET"],
      [chained, "GET"],
      [kept, "POST"],
      [switched, "GET"],
    ] as const) {
      const received = await reaching(env.STRIPE_API_BASE, marker);
      expect(received.map((r) => r.method)).toEqual([method]);
      expect(received[0]!.headers.authorization).toBe(`Bearer ${FAKE_STRIPE_SECRET_KEY}`);
      expect(received[0]!.headers["stripe-version"]).toBe(STRIPE_API_VERSION);
    }
    expect((await reaching(env.STRIPE_API_BASE, switched))[0]!.body).toBe("");
    // One audited call per app fetch, under the address the app asked for.
    const calls = (await auditedCalls(user, app.id)).slice(2);
    expect(calls.map((c) => [c.method, c.host, c.path, c.outcome, c.status])).toEqual([
      ["GET", "api.stripe.com", "/__fake/redirect?to=", "sent", 200],
      ["GET", "api.stripe.com", "/__fake/redirect?to=&hops=", "sent", 200],
      ["POST", "api.stripe.com", "/__fake/redirect?to=&status=", "sent", 200],
      ["POST", "api.stripe.com", "/__fake/redirect?to=&status=", "sent", 200],
    ]);
    await expectSecretsNowhere(
      user,
      app.id,
      [FAKE_STRIPE_SECRET_KEY, AIRTABLE_FAKE_TOKEN],
      answers,
      "raw call answered 200",
    );
  });

  it("does not follow a redirect off api.stripe.com: not to another connector's host, the fake's own address or any other host; the key never leaves", async () => {
    const { user, app } = await connectedApp();
    const marker = runMarker("off");
    const targets = [
      // Airtable: a host this app may call itself, but not with Stripe's key.
      [
        `https://api.airtable.com/v0/${marker}/Contacts`,
        "network access to api.airtable.com is not allowed for this app (it may call api.stripe.com)",
      ],
      // The loopback address the Airtable fake listens on.
      [
        `${env.AIRTABLE_API_BASE}/v0/${marker}/Contacts`,
        "only https:// addresses can be called (got http://127.0.0.1)",
      ],
      [
        `https://evil.example/collect?${marker}`,
        "network access to evil.example is not allowed for this app (it may call api.stripe.com)",
      ],
      [
        `https://api.stripe.com.evil.example/v1/customers?${marker}`,
        "network access to api.stripe.com.evil.example is not allowed for this app (it may call api.stripe.com)",
      ],
    ] as const;
    const answers: AppAnswer<RawAnswer>[] = [];
    for (const [to, reason] of targets) {
      for (const status of [302, 307]) {
        const answer = await raw(app.previewUrl, {
          url: redirectUrl(to, { status }),
          method: status === 307 ? "POST" : "GET",
          body: status === 307 ? `description=${marker}` : undefined,
        });
        expect(answer.json).toEqual({
          error: `Stripe redirected to an address this app may not call (${reason}); the redirect was not followed`,
        });
        answers.push(answer);
      }
    }
    // Nothing reached Airtable's fake, and the Stripe key reached no fake but Stripe's.
    expect(await reaching(env.AIRTABLE_API_BASE, marker)).toEqual([]);
    expect(await reaching(env.STRIPE_API_BASE, marker)).toEqual([]);
    for (const base of [env.AIRTABLE_API_BASE, env.GOOGLE_API_BASE]) {
      expect(JSON.stringify(await fakeRequests(base))).not.toContain(FAKE_STRIPE_SECRET_KEY);
    }

    const refused = (await auditedCalls(user, app.id)).slice(2);
    expect(refused).toHaveLength(targets.length * 2);
    for (const call of refused)
      expect(call).toMatchObject({ connector: "stripe", host: "api.stripe.com", outcome: "failed", status: null });
    const logs = (await user.call("GET", `/api/apps/${app.id}/logs?limit=500`)).body.logs as { message: string }[];
    expect(
      logs.filter((row) =>
        row.message.startsWith("Stripe call failed: Stripe redirected to an address this app may not call"),
      ),
    ).toHaveLength(targets.length * 2);
    await expectSecretsNowhere(
      user,
      app.id,
      [FAKE_STRIPE_SECRET_KEY, AIRTABLE_FAKE_TOKEN],
      answers,
      "raw call refused: Stripe redirected",
    );
  });

  it("stops after 5 redirects", async () => {
    const { user, app } = await connectedApp();
    const marker = runMarker("loop");
    const answer = await raw(app.previewUrl, {
      url: redirectUrl(`/v1/customers?email=${marker}%40example.com`, { hops: 6 }),
    });
    expect(answer.json).toEqual({ error: "Stripe redirected more than 5 times; the call was stopped" });
    expect(await reaching(env.STRIPE_API_BASE, marker)).toEqual([]);
    expect((await auditedCalls(user, app.id)).at(-1)).toMatchObject({ outcome: "failed", status: null });
    await expectSecretsNowhere(
      user,
      app.id,
      [FAKE_STRIPE_SECRET_KEY],
      [answer],
      "raw call refused: Stripe redirected more than 5 times",
    );
  });
});
