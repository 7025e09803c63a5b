// The Connections page on a Kiln without demo mode and without a Google OAuth
// client, whose Stripe cannot be reached (its base URL points at a closed
// loopback port): no demo offered, Google explained, the API's words when a
// key cannot be checked or is the wrong kind.
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type KilnBrowser, ready, shot, signUp, startKilnBrowser } from "./harness";

/** Well-formed, so the API tries to check it with Stripe (which it cannot reach). */
const STRIPE_KEY = "sk_test_51E2eUnreachable000000000000wxyz";
/** A publishable key: the API explains the mix-up before calling Stripe. */
const PUBLISHABLE_KEY = "pk_test_51E2ePublishable0000000000000000";

// Run against a Kiln this test starts itself: KILN_E2E_URL's Kiln has its own settings.
describe.skipIf(process.env.KILN_E2E_URL !== undefined)("Connections page without demo mode", () => {
  let harness: KilnBrowser;

  beforeAll(async () => {
    // Port 9 (discard) on loopback: nothing listens, so every check is refused at once.
    harness = await startKilnBrowser("connections-without-demo-kiln.log", {
      demo: false,
      vars: { STRIPE_API_BASE: "http://127.0.0.1:9" },
    });
  });

  afterAll(async () => {
    await harness?.stop();
  });

  function card(page: Page, connector: "stripe" | "airtable" | "google"): Locator {
    return page.getByTestId(`connection-${connector}`);
  }

  test("no demo, Google not set up, an unreachable Stripe and a publishable key explained", async () => {
    const { kiln } = harness;
    const context = await harness.newContext({ width: 1280, height: 900 });
    const page = await context.newPage();
    await signUp(page, kiln.url, `connections-nodemo-${Date.now()}@example.com`);
    await page.getByRole("link", { name: "Connections" }).click();
    await page.waitForURL(`${kiln.url}/connections`);
    await ready(page);

    expect(await page.getByTestId("demo-mode").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Use demo" }).count()).toBe(0);
    const google = card(page, "google");
    expect(await google.getByTestId("unavailable").textContent()).toContain(
      "Google cannot be connected on this Kiln yet",
    );
    expect(await google.getByRole("button").count()).toBe(0);

    const stripe = card(page, "stripe");
    const keyField = stripe.getByLabel("Stripe secret key");
    await keyField.fill(STRIPE_KEY);
    await stripe.getByRole("button", { name: "Connect Stripe" }).click();
    await stripe.getByRole("alert").waitFor();
    expect(await stripe.getByRole("alert").textContent()).toBe(
      "Kiln could not check the key with Stripe, so nothing was saved. Kiln could not reach Stripe: the network request failed. Try again in a moment.",
    );
    expect(await stripe.getByTestId("status").textContent()).toContain("Not connected");
    expect(await keyField.inputValue()).toBe("");
    expect(await page.content()).not.toContain(STRIPE_KEY);
    await shot(page, "connections-08-no-demo-unreachable");

    await keyField.fill(PUBLISHABLE_KEY);
    await stripe.getByRole("button", { name: "Connect Stripe" }).click();
    await expect.poll(() => stripe.getByRole("alert").textContent()).toContain("This is a publishable key (pk_…)");
    expect(await page.content()).not.toContain(PUBLISHABLE_KEY);
    await context.close();
  });

  test("the browser console stayed clean (no CSP violations or script errors)", () => {
    expect(harness.consoleProblems).toEqual([]);
  });
});
