// The Automations tab end to end in a real browser, against a local Kiln: an
// app whose published code declares a weekday schedule that logs a line; the
// tab shows the schedule in words and the next fire times, Run now (after an
// input that is not JSON is explained) succeeds, the run appears in the
// history, and its shareable page shows the input, output and the log line.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fitsViewport, type KilnBrowser, ready, shot, signUp, startKilnBrowser } from "./harness";

const SOURCE = `import { defineTables, type Automations } from "kiln";

export const tables = defineTables({ sent: { day: "text" } });

export const automations: Automations<typeof tables> = {
  morningDigest: {
    cron: "0 9 * * 1-5",
    timezone: "Europe/Berlin",
    async run(run) {
      console.log(\`digest ran by \${run.trigger} for \${JSON.stringify(run.input)}\`);
      return { emailed: 3 };
    },
  },
};

export default { fetch: () => new Response("digest app") };
`;

let harness: KilnBrowser;

beforeAll(async () => {
  harness = await startKilnBrowser("automations-kiln.log");
});

afterAll(async () => {
  await harness?.stop();
});

/** Creates the app, uploads its code and publishes it, through the API with the page's session. */
async function publishedDigestApp(page: Page): Promise<string> {
  const { url } = harness.kiln;
  const headers = { origin: url };
  const created = await page.request.post(`${url}/api/apps`, { data: { name: "Order digest" }, headers });
  expect(created.status(), await created.text()).toBe(201);
  const id = ((await created.json()) as { id: string }).id;
  const upload = await page.request.put(`${url}/api/apps/${id}/source`, {
    data: { files: { "src/index.ts": SOURCE } },
    headers,
  });
  expect(upload.status(), await upload.text()).toBe(200);
  const version = ((await upload.json()) as { version: string }).version;
  const published = await page.request.post(`${url}/api/apps/${id}/publish`, { data: { version }, headers });
  expect(published.status(), await published.text()).toBe(200);
  return id;
}

describe("Automations tab", () => {
  test("schedule in words, next fire times, Run now, run history and the run's log line", async () => {
    const { kiln } = harness;
    const context = await harness.newContext({ width: 1280, height: 900 });
    const page = await context.newPage();
    await signUp(page, harness.kiln.url, `automations-${Date.now()}@example.com`);
    const appId = await publishedDigestApp(page);

    await page.goto(`${kiln.url}/apps/${appId}/automations`);
    await ready(page);
    const card = page.getByTestId("automation-morningDigest");
    expect(await card.getByTestId("schedule").textContent()).toContain("Every weekday at 09:00 (Europe/Berlin)");
    expect(await card.getByTestId("automation-status").textContent()).toBe("Scheduled");
    const fireTimes = await card.getByTestId("next-fire-times").locator("li").allTextContents();
    expect(fireTimes).toHaveLength(5);
    for (const time of fireTimes)
      expect(time.replace(/\s+/g, " ").trim()).toMatch(
        /^(Mon|Tue|Wed|Thu|Fri) \d{1,2} \w{3}, 09:00 · in \d+ (min|h|h \d+ min|days)$/,
      );
    expect(await page.getByTestId("runs-empty").textContent()).toContain("No runs yet");
    await shot(page, "automations-01-tab-1280");

    // Input that is not JSON is explained before anything runs.
    await card.getByText("Input (optional JSON)").click();
    await card.getByLabel("Input for morningDigest, as JSON").fill("{day: monday}");
    await card.getByRole("button", { name: /^Run now/ }).click();
    expect(await card.getByRole("alert").textContent()).toContain("The input is not valid JSON");
    expect(await page.getByTestId("run-row").count()).toBe(0);

    // Valid input: the run goes through on the live version and is listed as succeeded.
    await card.getByLabel("Input for morningDigest, as JSON").fill('{"day": "2026-06-01"}');
    expect(await card.getByRole("alert").count()).toBe(0);
    await card.getByRole("button", { name: "Run now (live)" }).click();
    const outcome = card.getByTestId("run-now-outcome");
    await outcome.waitFor({ timeout: 40_000 });
    expect(await outcome.textContent()).toContain("Succeeded");
    const row = page.getByTestId("run-row").first();
    await row.waitFor();
    expect(await row.getByTestId("run-status").textContent()).toBe("Succeeded");
    expect(await row.textContent()).toContain("morningDigest");
    expect(await row.textContent()).toContain("By hand");
    expect(await row.textContent()).toMatch(/1 of \d+/);
    await shot(page, "automations-02-after-run-1280");

    // The run's own page: input, output and what the app logged.
    await outcome.getByRole("link", { name: "Open this run" }).click();
    await page.waitForURL(/\/automations\/runs\/[^/]+$/);
    await ready(page);
    const runUrl = page.url();
    expect(await page.getByRole("heading", { name: /^Run of morningDigest/ }).textContent()).toContain("Succeeded");
    expect(await page.getByTestId("run-input").textContent()).toContain('"day": "2026-06-01"');
    expect(await page.getByTestId("run-output").textContent()).toContain('"emailed": 3');
    expect(await page.getByTestId("attempt-logs").textContent()).toContain(
      'digest ran by manual for {"day":"2026-06-01"}',
    );
    await shot(page, "automations-03-run-1280");

    // Filters: a status with no runs says so.
    await page.goto(`${kiln.url}/apps/${appId}/automations?status=failed`);
    await ready(page);
    expect(await page.getByTestId("runs-empty").textContent()).toContain("No runs match these filters");

    // A new automation only the preview version declares is marked as not scheduled until published.
    const v2 = SOURCE.replace(
      "export const automations: Automations<typeof tables> = {",
      "export const automations: Automations<typeof tables> = {\n  newLead: { webhook: true, async run() {} },",
    );
    const upload = await page.request.put(`${kiln.url}/api/apps/${appId}/source`, {
      data: { files: { "src/index.ts": v2 } },
      headers: { origin: kiln.url },
    });
    expect(upload.status(), await upload.text()).toBe(200);
    await page.goto(`${kiln.url}/apps/${appId}/automations`);
    await ready(page);
    const names = await page.locator("article.automation h3").allTextContents();
    expect(names).toEqual(["morningDigest", "newLead"]);
    const previewOnly = page.getByTestId("automation-newLead");
    expect(await previewOnly.getByTestId("automation-status").textContent()).toBe("In preview only");
    expect(await previewOnly.textContent()).toContain("not scheduled until you publish");
    expect(await previewOnly.textContent()).toContain("Gets a webhook URL once you publish.");

    // Phone width: the same pages fit without sideways scrolling.
    const phone = await harness.newContext({ width: 390, height: 844 });
    await phone.addCookies(await context.cookies());
    const small = await phone.newPage();
    await small.goto(`${kiln.url}/apps/${appId}/automations`);
    await ready(small);
    expect(await small.getByTestId("run-row").count()).toBe(1);
    expect(await fitsViewport(small)).toBe(true);
    await shot(small, "automations-04-tab-390");
    await small.goto(runUrl);
    await ready(small);
    expect(await small.getByTestId("attempt-logs").textContent()).toContain("digest ran by manual");
    expect(await fitsViewport(small)).toBe(true);
    await shot(small, "automations-05-run-390");

    expect(harness.consoleProblems).toEqual([]);
    await phone.close();
    await context.close();
  });
});
