// Setup and trying events, end to end in a real browser against a local Kiln: an app that asks its owner for an email
// and an opening time; the Setup tab lists what is missing, refuses a wrong email in words, saves a right one, and
// publishing (held until then) goes through; the Automations tab sends a signed test Stripe event that the app handles.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type KilnBrowser, ready, shot, signUp, startKilnBrowser } from "./harness";

const SOURCE = `import { Hono } from "hono";
import { defineTables, type AppEnv, type Setup } from "kiln";
import type { StripeEvent } from "kiln/stripe";

export const tables = defineTables({ paid: { email: "text" } });
export const setup = {
  OWNER_EMAIL: { type: "email", label: "Your email for receipts" },
  OPENS_AT: { type: "time", label: "Opening time", default: "08:00" },
} satisfies Setup;

export async function onStripeEvent(event: StripeEvent, env: AppEnv<typeof tables>) {
  const details = event.data.object.customer_details as { email?: string } | undefined;
  if (event.type === "checkout.session.completed") await env.DB.insert("paid", { email: details?.email ?? "?" });
}

const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();
app.get("/", (c) => c.text("Receipts go to " + (c.env.CONFIG.OWNER_EMAIL ?? "nobody yet")));
export default app;
`;

let harness: KilnBrowser;

beforeAll(async () => {
  harness = await startKilnBrowser("setup-kiln.log");
});

afterAll(async () => {
  await harness?.stop();
});

describe("Setup tab and test events", () => {
  test("asks for what the app needs, holds publishing until then, and sends a Stripe test event", async () => {
    const { kiln } = harness;
    const context = await harness.newContext({ width: 1280, height: 900 });
    const page = await context.newPage();
    await signUp(page, kiln.url, `setup-${Date.now()}@example.com`);
    const headers = { origin: kiln.url };
    const created = await page.request.post(`${kiln.url}/api/apps`, { data: { name: "Receipts" }, headers });
    const id = ((await created.json()) as { id: string }).id;
    const upload = await page.request.put(`${kiln.url}/api/apps/${id}/source`, {
      data: { files: { "src/index.ts": SOURCE } },
      headers,
    });
    expect(upload.status(), await upload.text()).toBe(200);
    const version = ((await upload.json()) as { version: string }).version;
    const early = await page.request.post(`${kiln.url}/api/apps/${id}/publish`, { data: { version }, headers });
    expect(early.status()).toBe(409);

    await page.goto(`${kiln.url}/apps/${id}/setup`);
    await ready(page);
    expect(await page.getByTestId("setup-missing").textContent()).toContain("Your email for receipts");
    expect(await page.getByLabel("Opening time").inputValue()).toBe("08:00");
    await page.getByLabel("Your email for receipts").fill("owner@example");
    await page.getByRole("button", { name: "Save" }).click();
    // "owner@example" passes the browser's own email check; the API refuses it, in words.
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toContain("is not an email address");
    await page.getByLabel("Your email for receipts").fill("owner@example.com");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByTestId("setup-complete").waitFor();
    await shot(page, "setup-01-complete-1280");
    const published = await page.request.post(`${kiln.url}/api/apps/${id}/publish`, { data: { version }, headers });
    expect(published.status(), await published.text()).toBe(200);

    await page.goto(`${kiln.url}/apps/${id}/automations`);
    await ready(page);
    const card = page.getByTestId("stripe-events");
    await card.getByRole("button", { name: "Send a test event" }).click();
    const outcome = card.getByTestId("stripe-test-outcome");
    await outcome.waitFor({ timeout: 40_000 });
    expect(await outcome.textContent()).toContain("The app handled checkout.session.completed");
    expect(await outcome.textContent()).toContain("Kiln made a preview endpoint");
    await page.reload();
    await ready(page);
    expect(await page.getByTestId("stripe-endpoint-preview").textContent()).toMatch(/\/api\/hooks\/stripe\/whk_/);
    await shot(page, "setup-02-stripe-test-1280");
  });
});
