// The Connections page end to end in a real browser, against a local Kiln in
// demo mode (the loopback fakes of Stripe, Airtable and Google): demo Stripe,
// a refused Airtable key, Google through the fake's OAuth round trip, test,
// disconnect — and no key ever on the page; and the assistants connected through Kiln's MCP OAuth, disconnected.
import { createHash, randomBytes } from "node:crypto";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { AIRTABLE_FAKE_TOKEN } from "../../connectors/airtable/fake/credentials";
import { GOOGLE_FAKE_USER } from "../../connectors/google/fake/credentials";
import { FAKE_STRIPE_RESTRICTED_KEY, FAKE_STRIPE_SECRET_KEY } from "../../connectors/stripe/fake/credentials";
import { fitsViewport, type KilnBrowser, ready, shot, signUp, startKilnBrowser } from "./harness";

/** Shaped like a personal access token, so it reaches the Airtable fake, which refuses it. */
const WRONG_AIRTABLE_KEY = "patWrongE2eToken1.0123456789abcdef0123456789abcdef";

interface ConnectionsAnswer {
  connections: Array<{
    connector: string;
    demo: boolean;
    last4: string | null;
    account: string | null;
    statusMessage: string | null;
  }>;
}

let harness: KilnBrowser;

beforeAll(async () => {
  harness = await startKilnBrowser("connections-kiln.log");
});

afterAll(async () => {
  await harness?.stop();
});

function card(page: Page, connector: "stripe" | "airtable" | "google"): Locator {
  return page.getByTestId(`connection-${connector}`);
}

async function statusOf(page: Page, connector: "stripe" | "airtable" | "google"): Promise<string> {
  return ((await card(page, connector).getByTestId("status").textContent()) ?? "").replace(/\s+/g, " ").trim();
}

/** The signed-in owner's connections, as the API lists them (the browser's session cookie). */
async function apiConnections(page: Page): Promise<ConnectionsAnswer["connections"]> {
  const response = await page.request.get(`${harness.kiln.url}/api/connections`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as ConnectionsAnswer).connections;
}

/** No secret of any fake, nor the wrong key typed in, anywhere in the page's HTML (input values included). */
async function expectNoSecrets(page: Page): Promise<void> {
  const html = await page.content();
  const values = await page.evaluate(() =>
    Array.from(document.querySelectorAll("input"), (input) => input.value).join("\n"),
  );
  for (const secret of [FAKE_STRIPE_SECRET_KEY, FAKE_STRIPE_RESTRICTED_KEY, AIRTABLE_FAKE_TOKEN, WRONG_AIRTABLE_KEY]) {
    expect(html).not.toContain(secret);
    expect(values).not.toContain(secret);
  }
}

describe("Connections page", () => {
  test("demo Stripe, a refused Airtable key, demo Google through OAuth, test and disconnect", async () => {
    const { kiln } = harness;
    const context = await harness.newContext({ width: 1280, height: 900 });
    const page = await context.newPage();
    await signUp(page, harness.kiln.url, `connections-${Date.now()}@example.com`);

    // The header leads there; nothing is connected yet and demo mode says so.
    await page.getByRole("link", { name: "Connections" }).click();
    await page.waitForURL(`${kiln.url}/connections`);
    await ready(page);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Connections");
    expect(await page.getByTestId("demo-mode").textContent()).toContain(
      "simulated versions of Stripe, Airtable and Google",
    );
    for (const connector of ["stripe", "airtable", "google"] as const)
      expect(await statusOf(page, connector)).toBe("Not connected");
    expect(await card(page, "stripe").textContent()).toContain("Developers → API keys");
    expect(await card(page, "airtable").textContent()).toContain("Personal access tokens");
    // No Google OAuth client on a demo Kiln: it says so, and offers the demo.
    expect(await card(page, "google").getByTestId("unavailable").textContent()).toContain("not set up on this Kiln");
    await shot(page, "connections-01-empty");

    // Stripe as demo: Connected, Demo, the fake key's last 4.
    await card(page, "stripe").getByRole("button", { name: "Use demo" }).click();
    await expect.poll(() => statusOf(page, "stripe")).toBe("Connected Demo");
    expect(await card(page, "stripe").getByTestId("last4").textContent()).toBe(
      `ending in ${FAKE_STRIPE_SECRET_KEY.slice(-4)}`,
    );
    expect(await card(page, "stripe").getByTestId("outcome").textContent()).toContain("demo");

    // Airtable with a key Airtable refuses: the API's words beside the card, nothing stored, the key not kept.
    const airtable = card(page, "airtable");
    await airtable.getByLabel("Airtable personal access token").fill(WRONG_AIRTABLE_KEY);
    await airtable.getByRole("button", { name: "Connect Airtable" }).click();
    const refusal = airtable.getByRole("alert");
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(
      /Airtable did not accept this key \(Airtable said: Authentication required\)/,
    );
    expect(await statusOf(page, "airtable")).toBe("Not connected");
    expect(await airtable.getByLabel("Airtable personal access token").inputValue()).toBe("");
    expect((await apiConnections(page)).map((c) => c.connector)).toEqual(["stripe"]);
    await expectNoSecrets(page);
    await shot(page, "connections-02-airtable-refused");

    // Google as demo: the browser goes to the fake's consent page and back.
    await card(page, "google").getByRole("button", { name: "Use demo" }).click();
    await page.waitForURL(/\/connections\?connection=con_/);
    await ready(page);
    expect(await statusOf(page, "google")).toBe("Connected Demo");
    expect(await card(page, "google").getByTestId("account").textContent()).toBe(GOOGLE_FAKE_USER.email);
    expect(await card(page, "google").getByTestId("outcome").textContent()).toContain(
      `connected as ${GOOGLE_FAKE_USER.email}`,
    );
    expect(await statusOf(page, "stripe")).toBe("Connected Demo");
    await shot(page, "connections-03-google-demo");

    // Test asks Stripe (the fake) with the stored key.
    await card(page, "stripe").getByRole("button", { name: "Test" }).click();
    await expect
      .poll(() => card(page, "stripe").getByTestId("outcome").textContent())
      .toBe("Stripe accepted the stored credential.");
    expect(await card(page, "stripe").locator("time").count()).toBe(1);

    // Disconnect asks first; "Keep it" changes nothing.
    const confirm = card(page, "stripe").getByTestId("confirm-disconnect");
    await card(page, "stripe").getByRole("button", { name: "Disconnect" }).click();
    await confirm.waitFor();
    await confirm.getByRole("link", { name: "Keep it" }).click();
    await confirm.waitFor({ state: "detached" });
    expect(await statusOf(page, "stripe")).toBe("Connected Demo");

    // Asked again and confirmed: Stripe is gone; Google stays.
    await card(page, "stripe").getByRole("button", { name: "Disconnect" }).click();
    await confirm.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Yes, disconnect Stripe");
    expect(await statusOf(page, "stripe")).toBe("Connected Demo");
    await shot(page, "connections-04-confirm-disconnect");
    await confirm.getByRole("button", { name: "Yes, disconnect Stripe" }).click();
    await expect.poll(() => statusOf(page, "stripe")).toBe("Not connected");
    expect(await card(page, "stripe").getByTestId("outcome").textContent()).toContain("Stripe is disconnected");
    expect(await statusOf(page, "google")).toBe("Connected Demo");
    expect((await apiConnections(page)).map((c) => c.connector)).toEqual(["google"]);
    await expectNoSecrets(page);
    expect(await fitsViewport(page)).toBe(true);
    await shot(page, "connections-05-stripe-disconnected");

    // A pasted key (the fake's restricted key): connected, and not labelled demo.
    await card(page, "stripe").getByLabel("Stripe secret key").fill(FAKE_STRIPE_RESTRICTED_KEY);
    await card(page, "stripe").getByRole("button", { name: "Connect Stripe" }).click();
    await expect.poll(() => statusOf(page, "stripe")).toBe("Connected");
    expect(await card(page, "stripe").getByTestId("last4").textContent()).toBe(
      `ending in ${FAKE_STRIPE_RESTRICTED_KEY.slice(-4)}`,
    );
    expect(await card(page, "stripe").getByTestId("outcome").textContent()).toContain("key ending in wxyz");
    await expectNoSecrets(page);
    await shot(page, "connections-05b-stripe-restricted-key");
    await context.close();
  });

  test("without JavaScript: demo Stripe, a refused key, and Google through the Continue link; fits 390 px", async () => {
    const { kiln } = harness;
    const context = await harness.newContext({ width: 390, height: 844, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${kiln.url}/signup`);
    await page.getByLabel("Email").fill(`connections-nojs-${Date.now()}@example.com`);
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${kiln.url}/apps`);
    await page.goto(`${kiln.url}/connections`);

    await card(page, "stripe").getByRole("button", { name: "Use demo" }).click();
    await page.waitForLoadState();
    expect(await statusOf(page, "stripe")).toBe("Connected Demo");

    await card(page, "airtable").getByLabel("Airtable personal access token").fill(WRONG_AIRTABLE_KEY);
    await card(page, "airtable").getByRole("button", { name: "Connect Airtable" }).click();
    await card(page, "airtable").getByRole("alert").waitFor();
    expect(await card(page, "airtable").getByLabel("Airtable personal access token").inputValue()).toBe("");
    await expectNoSecrets(page);

    await card(page, "google").getByRole("button", { name: "Use demo" }).click();
    await shot(page, "connections-06a-no-js-continue-to-google");
    await card(page, "google").getByRole("link", { name: "Continue to Google" }).click();
    await page.waitForURL(/\/connections\?connection=con_/);
    expect(await statusOf(page, "google")).toBe("Connected Demo");
    expect(await card(page, "google").getByTestId("account").textContent()).toBe(GOOGLE_FAKE_USER.email);
    expect(await fitsViewport(page)).toBe(true);
    await shot(page, "connections-06b-mobile-no-js-google");
    await context.close();
  });

  test("a Google sign-in the owner refused is explained beside the Google card", async () => {
    const { kiln } = harness;
    const context = await harness.newContext({ width: 1280, height: 900 });
    const page = await context.newPage();
    await signUp(page, harness.kiln.url, `connections-refused-${Date.now()}@example.com`);
    await page.goto(`${kiln.url}/connections`);
    await ready(page);

    // Hold the first trip to the fake's consent page, to learn where the fake is and make it refuse.
    let consentUrl = "";
    await page.route("**/o/oauth2/v2/auth?*", async (route) => {
      consentUrl = route.request().url();
      await route.fulfill({ status: 204 });
    });
    await card(page, "google").getByRole("button", { name: "Use demo" }).click();
    await expect.poll(() => consentUrl).not.toBe("");
    await page.unroute("**/o/oauth2/v2/auth?*");
    const fakeOrigin = new URL(consentUrl).origin;
    const refuse = await page.request.post(`${fakeOrigin}/__fake/oauth/consent`, { data: { approve: false } });
    expect(refuse.status()).toBe(200);
    try {
      await page.goto(consentUrl);
      await page.waitForURL(/\/connections\?connectionError=/);
    } finally {
      await page.request.post(`${fakeOrigin}/__fake/oauth/consent`, { data: { approve: true } });
    }
    const alert = card(page, "google").getByRole("alert");
    expect(await alert.textContent()).toBe(
      "Google was not connected. Google did not grant access (access_denied). Start connecting Google again and allow access.",
    );
    expect(await statusOf(page, "google")).toBe("Not connected");
    await shot(page, "connections-07-google-refused");
    await context.close();
  });

  test("a Google grant revoked at Google shows Needs reconnect with the API's words, and reconnecting fixes it", async () => {
    const { kiln } = harness;
    const context = await harness.newContext({ width: 1280, height: 900 });
    const page = await context.newPage();
    await signUp(page, harness.kiln.url, `connections-revoked-${Date.now()}@example.com`);
    await page.goto(`${kiln.url}/connections`);
    await ready(page);

    const consent = page.waitForRequest((request) => request.url().includes("/o/oauth2/v2/auth?"));
    await card(page, "google").getByRole("button", { name: "Use demo" }).click();
    const fakeOrigin = new URL((await consent).url()).origin;
    await page.waitForURL(/\/connections\?connection=con_/);
    await ready(page);
    expect(await statusOf(page, "google")).toBe("Connected Demo");

    // The owner removes Kiln's access in their Google account: every grant and token stops working.
    expect((await page.request.post(`${fakeOrigin}/__fake/oauth/revoke-all`, { data: {} })).status()).toBe(204);
    expect((await page.request.post(`${fakeOrigin}/__fake/oauth/expire-access-tokens`, { data: {} })).status()).toBe(
      204,
    );
    await card(page, "google").getByRole("button", { name: "Test" }).click();
    await expect.poll(() => statusOf(page, "google")).toBe("Needs reconnect Demo");
    const statusMessage = (await card(page, "google").getByTestId("status-message").textContent()) ?? "";
    const listed = (await apiConnections(page)).find((c) => c.connector === "google");
    expect(statusMessage.trim()).toBe(listed?.statusMessage);
    expect(statusMessage).toMatch(/reconnect Google/i);
    // Said once, not twice (the test's answer is the same words).
    expect(
      await card(page, "google")
        .getByText(listed?.statusMessage ?? "")
        .count(),
    ).toBe(1);
    await shot(page, "connections-09-google-needs-reconnect");

    // The page is already at ?connection=…: wait for the callback of this second round trip.
    const callback = page.waitForResponse((response) => response.url().includes("/api/connections/google/callback?"));
    await card(page, "google").getByRole("button", { name: "Reconnect Google" }).click();
    expect((await callback).status()).toBe(302);
    await page.waitForLoadState();
    await ready(page);
    expect(await statusOf(page, "google")).toBe("Connected Demo");
    expect(await card(page, "google").getByTestId("status-message").count()).toBe(0);
    await context.close();
  });

  test("without JavaScript: an assistant allowed through Kiln's MCP OAuth is listed, and Disconnect revokes it", async () => {
    const { kiln } = harness;
    const context = await harness.newContext({ width: 1280, height: 900, javaScriptEnabled: false });
    // The assistant's redirect URI: nothing listens there; the browser's request to it carries the code.
    const redirectUri = "http://127.0.0.1:9999/cb";
    const page = await context.newPage();
    await page.goto(`${kiln.url}/signup`);
    await page.getByLabel("Email").fill(`assistants-nojs-${Date.now()}@example.com`);
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${kiln.url}/apps`);

    const registered = await page.request.post(`${kiln.url}/api/oauth/register`, {
      data: { client_name: "E2E Assistant", redirect_uris: [redirectUri] },
    });
    expect(registered.status()).toBe(201);
    const clientId = ((await registered.json()) as { client_id: string }).client_id;
    const verifier = randomBytes(32).toString("base64url");
    const authorize = new URL(`${kiln.url}/api/oauth/authorize`);
    authorize.search = new URLSearchParams({
      response_type: "code",
      client_id: clientId,
      redirect_uri: redirectUri,
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
    }).toString();
    await page.goto(authorize.toString());
    const backAtAssistant = page.waitForRequest((request) => request.url().startsWith(redirectUri));
    await page.getByRole("button", { name: "Allow" }).click();
    const code = new URL((await backAtAssistant).url()).searchParams.get("code") ?? "";
    const granted = await page.request.post(`${kiln.url}/api/oauth/token`, {
      form: {
        grant_type: "authorization_code",
        code,
        code_verifier: verifier,
        client_id: clientId,
        redirect_uri: redirectUri,
      },
    });
    expect(granted.status()).toBe(200);
    const { access_token: accessToken } = (await granted.json()) as { access_token: string };
    const listTools = () =>
      page.request.post(`${kiln.url}/mcp`, {
        headers: { authorization: `Bearer ${accessToken}`, accept: "application/json, text/event-stream" },
        data: { jsonrpc: "2.0", id: 1, method: "tools/list" },
      });
    expect((await listTools()).status()).toBe(200);

    await page.goto(`${kiln.url}/connections`);
    const assistants = page.getByTestId("assistants");
    expect(await assistants.getByTestId("assistant").count()).toBe(1);
    expect(await assistants.getByTestId("assistant").textContent()).toContain("E2E Assistant");
    await shot(page, "connections-08a-connected-assistant");
    await assistants.getByRole("button", { name: "Disconnect E2E Assistant" }).click();
    await assistants.getByTestId("assistant-outcome").waitFor();
    expect(await assistants.getByTestId("assistant-outcome").textContent()).toContain("E2E Assistant is disconnected");
    expect(await assistants.getByTestId("assistant").count()).toBe(0);
    expect((await listTools()).status()).toBe(401);
    await shot(page, "connections-08b-assistant-disconnected");
    await context.close();
  });

  test("the browser console stayed clean (no CSP violations or script errors)", () => {
    expect(harness.consoleProblems).toEqual([]);
  });
});
