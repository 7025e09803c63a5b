import { env, exports } from "cloudflare:workers";
import { fakeRequests } from "../../../connectors/testing/fake-requests";
import { describe, expect, it } from "vitest";
import { FAKE_STRIPE_SECRET_KEY } from "../../../connectors/stripe/fake/credentials";
import type { ConnectorId, RecordedRequest } from "../../../connectors/types";
import { type TestUser, newUser } from "../../test/api-client";

// An app that calls whatever URL it is asked to, with whatever Authorization
// it likes, and reports everything it can see of the call and of itself.
const PROBE_APP = `export default {
  async fetch(request, env) {
    const { url, authorization, method, body } = await request.json();
    const outbound = new Request(url, { method, body, headers: { authorization: authorization ?? "", "content-type": "application/x-www-form-urlencoded" } });
    const seen = { envKeys: Object.keys(env), env: JSON.stringify(env), globals: Object.keys(globalThis).join(","), outboundHeaders: [...outbound.headers] };
    try {
      const response = await fetch(outbound);
      return Response.json({ ...seen, status: response.status, headers: [...response.headers], text: await response.text() });
    } catch (error) {
      return Response.json({ ...seen, error: String(error) });
    }
  },
};`;

interface ProbeResult {
  status?: number;
  text?: string;
  error?: string;
  headers?: [string, string][];
  env: string;
  globals: string;
  outboundHeaders: [string, string][];
}

async function appOf(user: TestUser): Promise<string> {
  const created = await user.call("POST", "/api/apps", { name: `egress ${crypto.randomUUID().slice(0, 6)}` });
  return created.body.id as string;
}

// The real egress proxy as the app's globalOutbound, with the props Kiln sets at load time.
async function probe(
  appId: string,
  connectors: ConnectorId[],
  call: { url: string; authorization?: string; method?: string; body?: string },
): Promise<ProbeResult> {
  const props = { appId, environment: "preview" as const, version: "v-egress", connectors };
  const worker = env.LOADER.load({
    compatibilityDate: "2026-11-01",
    compatibilityFlags: ["nodejs_compat"],
    mainModule: "app.js",
    modules: { "app.js": PROBE_APP },
    env: { KILN: { appId, environment: "preview", version: "v-egress" } },
    globalOutbound: exports.EgressProxy({ props }),
  });
  const response = await worker.getEntrypoint().fetch("http://app/", {
    method: "POST",
    headers: { "x-kiln-request-id": `req_${crypto.randomUUID().slice(0, 12)}` },
    body: JSON.stringify({ method: "GET", ...call }),
  });
  return (await response.json()) as ProbeResult;
}

function stripeRequests(): Promise<RecordedRequest[]> {
  return fakeRequests(env.STRIPE_API_BASE);
}

describe("egress with credentials", () => {
  it("adds the owner's Stripe key outside the app, drops the app's own, and audits the call", async () => {
    const user = await newUser();
    expect((await user.call("PUT", "/api/connections/stripe", { key: FAKE_STRIPE_SECRET_KEY })).status).toBe(201);
    const appId = await appOf(user);
    const marker = `${crypto.randomUUID()}@example.com`;
    const result = await probe(appId, ["stripe"], {
      url: `https://api.stripe.com/v1/customers?limit=1&email=${encodeURIComponent(marker)}`,
      authorization: "Bearer sk_live_the_app_made_this_up",
    });
    expect(result.status).toBe(200);
    expect(JSON.parse(result.text!)).toMatchObject({ object: "list", data: [] });
    const received = (await stripeRequests()).find((r) => r.url.includes(encodeURIComponent(marker)));
    expect(received?.headers.authorization).toBe(`Bearer ${FAKE_STRIPE_SECRET_KEY}`);
    expect(received?.headers["stripe-version"]).toBeTruthy();
    const audit = await user.call("GET", `/api/apps/${appId}/egress`);
    expect(audit.body.calls[0]).toMatchObject({
      connector: "stripe",
      method: "GET",
      host: "api.stripe.com",
      path: "/v1/customers?limit=&email=",
      outcome: "sent",
      status: 200,
    });
    expect(audit.text).not.toContain(marker);
  });

  it("never lets the app see the key: not in env, globals, its own Request, the Response or an upstream error", async () => {
    const user = await newUser();
    await user.call("PUT", "/api/connections/stripe", { key: FAKE_STRIPE_SECRET_KEY });
    const appId = await appOf(user);
    const ok = await probe(appId, ["stripe"], { url: "https://api.stripe.com/v1/customers?limit=1" });
    // A bad parameter makes Stripe answer with an error body.
    const failed = await probe(appId, ["stripe"], {
      url: "https://api.stripe.com/v1/customers",
      method: "POST",
      body: "not_a_param=1",
    });
    expect(failed.status).toBe(400);
    for (const seen of [ok, failed]) expect(JSON.stringify(seen)).not.toContain(FAKE_STRIPE_SECRET_KEY);
    const everything = JSON.stringify([
      await user.call("GET", "/api/connections"),
      await user.call("GET", `/api/apps/${appId}/egress`),
      await user.call("GET", `/api/apps/${appId}/logs`),
    ]);
    expect(everything).not.toContain(FAKE_STRIPE_SECRET_KEY);
  });

  it.each([
    "https://api.stripe.com.evil.test/v1/customers",
    "https://api.stripe.com@evil.test/v1/customers",
    "https://api.stripe.com:8443/v1/customers",
    "http://api.stripe.com/v1/customers",
    "https://2130706433/v1/customers",
    "https://[::ffff:169.254.169.254]/latest",
    "https://аpi.stripe.com/v1/customers",
  ])("refuses %s without sending anything", async (url) => {
    const user = await newUser();
    await user.call("PUT", "/api/connections/stripe", { key: FAKE_STRIPE_SECRET_KEY });
    const appId = await appOf(user);
    const before = (await stripeRequests()).length;
    const result = await probe(appId, ["stripe"], { url });
    expect(result.error).toMatch(/not allowed|only https/);
    expect((await stripeRequests()).length).toBe(before);
    const audit = await user.call("GET", `/api/apps/${appId}/egress`);
    expect(audit.body.calls[0]).toMatchObject({ outcome: "blocked" });
  });

  it("refuses a connector the version did not declare, and says so", async () => {
    const user = await newUser();
    await user.call("PUT", "/api/connections/stripe", { key: FAKE_STRIPE_SECRET_KEY });
    const result = await probe(await appOf(user), [], { url: "https://api.stripe.com/v1/customers" });
    expect(result.error).toContain(
      "network access to api.stripe.com is not allowed for this app (it uses no connectors)",
    );
  });

  it("tells the app, in words its owner can act on, when the owner has not connected the service", async () => {
    const user = await newUser();
    const appId = await appOf(user);
    const result = await probe(appId, ["stripe"], { url: "https://api.stripe.com/v1/customers" });
    expect(result.error).toMatch(/Stripe/);
    expect(result.error).toMatch(/connect/i);
    const audit = await user.call("GET", `/api/apps/${appId}/egress`);
    expect(audit.body.calls[0]).toMatchObject({ connector: "stripe", outcome: "not_connected" });
  });

  it("only the owner reads an app's outbound calls", async () => {
    const owner = await newUser();
    const appId = await appOf(owner);
    const stranger = await newUser();
    expect((await stranger.call("GET", `/api/apps/${appId}/egress`)).status).toBe(404);
  });
});
