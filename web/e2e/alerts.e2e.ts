// Knowing when something breaks, in a real browser against a local Kiln: a published app's webhook automation
// fails (twice); the owner gets one alert in the local outbox (the second failure waits for the hour's digest),
// the app list and the workspace show a badge linking to the failed runs, the Alerts page lists it and shows a
// webhook's signing secret once, and after a
// visit the Logs tab shows the request log with its chart, a 500 counted as a server error.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fitsViewport, type KilnBrowser, publishApp, ready, shot, signUp, startKilnBrowser } from "./harness";

const SOURCE = `import { Hono } from "hono";
import { defineTables, type AppEnv, type Automations } from "kiln";

export const tables = defineTables({ leads: { email: "text" } });

export const automations: Automations<typeof tables> = {
  syncLeads: {
    webhook: true,
    attempts: 1,
    async run() {
      throw new Error("the CRM refused the API key");
    },
  },
};

const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();
app.get("/", (c) => c.text("leads app"));
app.get("/boom", () => {
  throw new Error("boom for the request log");
});
export default app;
`;

let harness: KilnBrowser;

beforeAll(async () => {
  harness = await startKilnBrowser("alerts-kiln.log");
});

afterAll(async () => {
  await harness?.stop();
});

/** The mails about the app in the local outbox, as the owner's API lists them. */
async function outbox(page: Page, appId: string): Promise<{ to: string; subject: string; text: string }[]> {
  const answer = await page.request.get(`${harness.kiln.url}/api/apps/${appId}/outbox`);
  expect(answer.status(), await answer.text()).toBe(200);
  return ((await answer.json()) as { mails: { to: string; subject: string; text: string }[] }).mails;
}

/** How many runs of the app ended failed. */
async function failedRuns(page: Page, appId: string): Promise<number> {
  const answer = await page.request.get(`${harness.kiln.url}/api/apps/${appId}/runs?status=failed`);
  return ((await answer.json()) as { runs: unknown[] }).runs.length;
}

describe("alerts, badges and the request log", () => {
  test("a failing automation alerts once, shows badges, and the Logs tab charts the app's requests", async () => {
    const { kiln } = harness;
    const context = await harness.newContext({ width: 1280, height: 900 });
    const page = await context.newPage();
    const email = `alerts-${Date.now()}@example.com`;
    await signUp(page, kiln.url, email);
    const app = await publishApp(page, kiln.url, "Lead sync", SOURCE);

    // The automation's webhook is called twice; both runs fail for good (one attempt each).
    const listed = await page.request.get(`${kiln.url}/api/apps/${app.id}/automations`);
    const automations = ((await listed.json()) as { automations: { name: string; webhookUrl: string | null }[] })
      .automations;
    const hook = automations.find((a) => a.name === "syncLeads")?.webhookUrl;
    expect(hook).toBeTruthy();
    for (let i = 1; i <= 2; i++) {
      const delivered = await page.request.post(hook!, { data: { lead: i } });
      expect(delivered.status(), await delivered.text()).toBeLessThan(300);
      await expect.poll(() => failedRuns(page, app.id), { timeout: 40_000 }).toBe(i);
    }

    // One alert in the local outbox, not two: the second failure waits for the hour's digest.
    const mails = await outbox(page, app.id);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toBe(email);
    expect(mails[0]!.subject).toBe('[Kiln] Lead sync: automation "syncLeads" failed');
    expect(mails[0]!.text).toContain("the CRM refused the API key");

    // The app list: a badge that links to the failed runs.
    await page.goto(`${kiln.url}/apps`);
    await ready(page);
    const card = page.locator("li.card").filter({ hasText: "Lead sync" });
    const listBadge = card.getByTestId("badge-failing");
    expect(await listBadge.textContent()).toContain("Automation syncLeads failing");
    expect(await listBadge.getAttribute("href")).toBe(`/apps/${app.id}/automations?status=failed`);
    await shot(page, "alerts-01-app-list");

    // The workspace: the same badge in its header, and following it shows the failed runs.
    await page.goto(`${kiln.url}/apps/${app.id}`);
    await ready(page);
    const workspaceBadge = page.getByTestId("badge-failing");
    await workspaceBadge.click();
    await page.waitForURL(/\/automations\?status=failed$/);
    await ready(page);
    expect(await page.getByTestId("run-row").count()).toBe(2);
    await shot(page, "alerts-02-workspace");

    // The Alerts page lists what was sent, and where alerts go.
    await page.goto(`${kiln.url}/alerts`);
    await ready(page);
    const alerts = page.getByTestId("alert");
    expect(await alerts.count()).toBe(1);
    expect(await alerts.first().textContent()).toContain('Lead sync: automation "syncLeads" failed');
    expect(await page.getByLabel(/Email me at/).isChecked()).toBe(true);
    await shot(page, "alerts-03-alerts-page");

    // A webhook: an internal address is refused in words; a public one gets a signing secret, shown this once.
    await page.getByLabel("Webhook URL (optional)").fill("https://169.254.169.254/latest");
    await page.getByRole("button", { name: "Save" }).click();
    expect(await page.getByRole("alert").textContent()).toContain("must use a host name, not an IP address");
    await page.getByLabel("Webhook URL (optional)").fill("https://hooks.example.com/kiln");
    await page.getByRole("button", { name: "Save" }).click();
    const secret = (await page.getByTestId("signing-secret").locator("code").textContent()) ?? "";
    expect(secret).toMatch(/^kas_[0-9a-f]{48}$/);
    await page.goto(`${kiln.url}/alerts`);
    await ready(page);
    expect(await page.getByTestId("signing-secret").count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    expect(await page.getByText("A signing secret is set.").count()).toBe(1);

    // Visits to the live app: the Logs tab shows each request, and the chart counts the 500.
    const visitor = await context.newPage();
    await visitor.goto(app.liveUrl);
    await visitor.goto(`${app.liveUrl.replace(/\/$/, "")}/boom`);
    await visitor.close();
    await expect
      .poll(
        async () => {
          await page.goto(`${kiln.url}/apps/${app.id}/logs`);
          return page.getByTestId("request-row").count();
        },
        { timeout: 20_000 },
      )
      .toBeGreaterThanOrEqual(4);
    await ready(page);
    const rows = page.getByTestId("request-row");
    const texts = await rows.allTextContents();
    expect(texts.some((t) => t.includes("GET /boom") && t.includes("500"))).toBe(true);
    expect(texts.some((t) => t.includes("GET /") && t.includes("200") && t.includes("Visit"))).toBe(true);
    expect(texts.filter((t) => t.includes("Automation")).length).toBe(2);
    const chart = page.getByTestId("request-chart");
    expect(await chart.getByTestId("request-bar").count()).toBeGreaterThanOrEqual(1);
    expect(await chart.getByTestId("server-errors").textContent()).toMatch(/^\s*[1-9]\d* 5xx/);
    await shot(page, "alerts-04-request-log");

    // A phone fits the Logs tab with its chart and request log.
    const phone = await harness.newContext({ width: 390, height: 844 });
    await phone.addCookies(await context.cookies());
    const small = await phone.newPage();
    await small.goto(`${kiln.url}/apps/${app.id}/logs`);
    await small.getByTestId("request-chart").waitFor();
    await shot(small, "alerts-05-request-log-390");
    expect(await fitsViewport(small)).toBe(true);

    expect(harness.consoleProblems).toEqual([]);
    await phone.close();
    await context.close();
  });
});
