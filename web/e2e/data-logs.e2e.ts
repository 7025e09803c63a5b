// The Data and Logs tabs in a real browser: sort, edit, add and delete rows,
// download a whole table as CSV; watch a log line arrive through the live tail
// and filter by level — against a real local Kiln (see harness.ts).
import { readFile } from "node:fs/promises";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fitsViewport, type KilnBrowser, ready, shot, startKilnBrowser } from "./harness";

const APP_SOURCE = `import { Hono } from "hono";
import { defineTables, type AppEnv } from "kiln";

export const tables = defineTables({
  tasks: { title: "text", qty: "integer", done: "boolean", note: "text?", due: "datetime?", tags: "json?" },
});

const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();
app.get("/", (c) => c.text("tasks app"));
app.get("/log", (c) => {
  console.log("tail says " + c.req.query("msg"));
  console.error("tail error " + c.req.query("msg"));
  return c.text("logged");
});
export default app;
`;

let harness: KilnBrowser;
let context: BrowserContext;
let page: Page;
let app: { id: string; slug: string; previewUrl: string };
const FILLERS = 55;

async function api(method: "GET" | "POST" | "PUT", path: string, data?: unknown): Promise<Record<string, unknown>> {
  const response = await page.request.fetch(`${harness.kiln.url}${path}`, { method, data });
  if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  harness = await startKilnBrowser("data-logs-kiln.log");
  context = await harness.newContext({ width: 1280, height: 900 });
  page = await context.newPage();
  await api("POST", "/api/auth/signup", {
    email: `data-logs-${Date.now()}@example.com`,
    password: "correct horse battery",
  });
  const created = await api("POST", "/api/apps", { name: "Task Board" });
  app = { id: String(created.id), slug: String(created.slug), previewUrl: String(created.previewUrl) };
  await api("PUT", `/api/apps/${app.id}/source`, { files: { "src/index.ts": APP_SOURCE } });
  const rows = [
    { title: "Banana", qty: 2, done: false, note: 'say "hi", ok' },
    { title: '=HYPERLINK("http://evil.example")', qty: 5, done: false },
    { title: "apple", qty: 10, done: true, tags: ["fruit"] },
    ...Array.from({ length: FILLERS }, (_, i) => ({ title: `Filler ${i + 1}`, qty: 100 + i, done: false })),
  ];
  for (const row of rows) await api("POST", `/api/apps/${app.id}/data/tasks?env=preview`, row);
});

afterAll(async () => {
  await harness?.stop();
});

describe("Data and Logs tabs", () => {
  test("rows: edit, add, delete, sort and page", async () => {
    await page.goto(`${harness.kiln.url}/apps/${app.id}/data`);
    await ready(page);
    await page.getByRole("link", { name: "tasks" }).click();
    const region = page.getByRole("region", { name: "Rows of tasks" });
    await region.waitFor();
    expect(await page.getByText(`Rows 1–50 of ${FILLERS + 3}`).count()).toBe(1);
    await shot(page, "data-01-table");

    // Edit Banana (row 1): the API's refusal of a bad date is shown in words, then the fix is saved.
    await page.getByRole("link", { name: "Edit row 1", exact: true }).click();
    await page.getByRole("heading", { name: "Edit row 1" }).waitFor();
    expect(await page.getByLabel(/^Title\b/).inputValue()).toBe("Banana");
    await page.getByLabel(/^Title\b/).fill("Banana bread");
    await page.getByLabel(/^Due\b/).fill("next tuesday");
    await page.getByRole("checkbox", { name: /^Done\b/ }).check();
    await page.getByRole("button", { name: "Save row" }).click();
    const problem = page.getByRole("alert");
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/Due needs a date and time/);
    expect(await page.getByLabel(/^Title\b/).inputValue()).toBe("Banana bread");
    await shot(page, "data-02-edit-refused");
    await page.getByLabel(/^Due\b/).fill("2026-11-21T09:30:00Z");
    await page.getByRole("button", { name: "Save row" }).click();
    await page.getByText("Row 1 saved.").waitFor();
    const first = region.locator("tbody tr").first();
    expect(await first.textContent()).toContain("Banana bread");
    expect(await first.textContent()).toContain("2026-11-21T09:30:00Z");
    expect(await first.textContent()).toContain("true");

    // Add a row, then delete it after confirming.
    await page.getByRole("link", { name: "Add row" }).click();
    await page.getByLabel(/^Title\b/).fill("Cherry");
    await page.getByLabel(/^Qty\b/).fill("7");
    await page.getByLabel(/^Tags\b/).fill('["red", "small"]');
    await page.getByRole("button", { name: "Add row" }).click();
    const added = page.getByText(/^Row \d+ added\.$/);
    await added.waitFor();
    const newId = Number(/Row (\d+)/.exec((await added.textContent()) ?? "")?.[1]);
    expect((await api("GET", `/api/apps/${app.id}/data/tasks/${newId}?env=preview`)).tags).toEqual(["red", "small"]);
    await page.getByRole("link", { name: "Last" }).click();
    await page.getByRole("link", { name: `Delete row ${newId}`, exact: true }).click();
    await page.getByRole("heading", { name: `Delete row ${newId} of tasks?` }).waitFor();
    await shot(page, "data-03-delete-confirm");
    await page.getByRole("button", { name: `Delete row ${newId}` }).click();
    await page.getByText(`Row ${newId} deleted.`).waitFor();
    expect(await page.getByRole("link", { name: `Edit row ${newId}`, exact: true }).count()).toBe(0);

    // Sort by qty: ascending, then descending; the state is in the URL.
    await page.getByRole("link", { name: "qty" }).click();
    await page.waitForURL(/sort=qty/);
    const qtyHeader = region.getByRole("columnheader", { name: /Qty/ });
    await expect.poll(() => qtyHeader.getAttribute("aria-sort")).toBe("ascending");
    expect(await region.locator("tbody tr").first().textContent()).toContain("Banana bread");
    await page.getByRole("link", { name: "qty" }).click();
    await page.waitForURL(/order=desc/);
    await expect.poll(() => qtyHeader.getAttribute("aria-sort")).toBe("descending");
    expect(await region.locator("tbody tr").first().textContent()).toContain(`Filler ${FILLERS}`);
    await page.getByRole("link", { name: "Next" }).click();
    await page.getByText(`Rows 51–${FILLERS + 3} of ${FILLERS + 3}`).waitFor();
    expect(await region.locator("tbody tr").last().textContent()).toContain("Banana bread");
    await shot(page, "data-04-sorted");
  });

  test("the whole table downloads as CSV", async () => {
    await page.goto(`${harness.kiln.url}/apps/${app.id}/data?env=preview&table=tasks`);
    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download CSV" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`${app.slug}-tasks-preview.csv`);
    const csv = await readFile((await download.path()) ?? "", "utf8");
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("id,title,qty,done,note,due,tags,created_at,updated_at");
    expect(lines).toHaveLength(1 + FILLERS + 3 + 1); // header, every row (not just one page), final CRLF
    expect(lines[1]).toMatch(/^1,Banana bread,2,true,"say ""hi"", ok",2026-11-21T09:30:00Z,,/);
    expect(lines[2]).toMatch(/^2,"'=HYPERLINK\(""http:\/\/evil.example""\)",5,false,,,,/);
    expect(lines[3]).toMatch(/^3,apple,10,true,,,"\[""fruit""\]",/);
  });

  test("logs: live tail, level filter and request filter", async () => {
    await page.goto(`${harness.kiln.url}/apps/${app.id}/logs`);
    await ready(page);
    await page.getByTestId("live-status").getByText("Live", { exact: true }).waitFor();

    const visitor = await context.newPage();
    // The preview is the owner's: they open it through Kiln (signed in there), then browse it as anyone would.
    await visitor.goto(`${harness.kiln.url}/apps/${app.id}/open/preview?next=${encodeURIComponent("/log?msg=first")}`);
    await visitor.waitForURL(`${app.previewUrl}log?msg=first`);
    // Arrives without a reload.
    await page.getByRole("cell", { name: "tail says first" }).waitFor({ timeout: 20_000 });
    await expect
      .poll(
        () =>
          page
            .getByRole("status")
            .filter({ hasText: /new log entr/ })
            .count(),
        { timeout: 15_000 },
      )
      .toBe(1);
    await shot(page, "logs-01-live");

    // Errors only: the live tail keeps the filter.
    await page.getByLabel(/^Level\b/).selectOption("error");
    await page.getByRole("button", { name: "Show logs" }).click();
    await page.waitForURL(/level=error/);
    await page.getByTestId("live-status").getByText("Live", { exact: true }).waitFor();
    expect(await page.getByRole("cell", { name: "tail says first" }).count()).toBe(0);
    expect(await page.getByRole("cell", { name: "tail error first" }).count()).toBe(1);
    await visitor.goto(`${app.previewUrl}log?msg=second`);
    await page.getByRole("cell", { name: "tail error second" }).waitFor({ timeout: 20_000 });
    expect(await page.getByRole("cell", { name: "tail says second" }).count()).toBe(0);
    await visitor.close();

    // Pause stops the tail; Resume starts it again.
    await page.getByRole("button", { name: "Pause" }).click();
    await page.getByTestId("live-status").getByText("Paused", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Resume" }).click();
    await page.getByTestId("live-status").getByText("Live", { exact: true }).waitFor();

    // A request id shows that request's lines only.
    await page
      .getByRole("link", { name: /^Show only request/ })
      .first()
      .click();
    await page.waitForURL(/requestId=/);
    await page.getByText("Showing one request:").waitFor();
    expect(await page.getByRole("cell", { name: /tail error/ }).count()).toBe(1);
    await shot(page, "logs-02-filtered");
  });

  test("both tabs fit a 390 px screen", async () => {
    const phone = await harness.newContext({ width: 390, height: 844 });
    await phone.addCookies(await context.cookies());
    const small = await phone.newPage();
    await small.goto(`${harness.kiln.url}/apps/${app.id}/data?env=preview&table=tasks&edit=1`);
    await shot(small, "data-05-mobile");
    await small.getByRole("region", { name: "Rows of tasks" }).waitFor();
    expect(await fitsViewport(small)).toBe(true);
    await shot(small, "data-05-mobile");
    await small.goto(`${harness.kiln.url}/apps/${app.id}/logs`);
    await small.getByRole("region", { name: "Log entries, newest first" }).waitFor();
    expect(await fitsViewport(small)).toBe(true);
    await shot(small, "logs-03-mobile");
    await phone.close();
  });

  test("without JavaScript: rows can still be edited, logs refreshed", async () => {
    const noJs = await harness.newContext({ width: 1280, height: 900, javaScriptEnabled: false });
    await noJs.addCookies(await context.cookies());
    const plain = await noJs.newPage();
    await plain.goto(`${harness.kiln.url}/apps/${app.id}/data?env=preview&table=tasks`);
    await plain.getByRole("link", { name: "Edit row 3", exact: true }).click();
    await plain.getByLabel(/^Title\b/).fill("apple pie");
    await plain.getByRole("button", { name: "Save row" }).click();
    await plain.getByText("Row 3 saved.").waitFor();
    await plain.goto(`${harness.kiln.url}/apps/${app.id}/logs`);
    expect(await plain.getByRole("link", { name: "Refresh" }).count()).toBe(1);
    expect(await plain.getByRole("button", { name: "Pause" }).count()).toBe(0);
    await noJs.close();
  });

  test("the browser console stayed clean", () => {
    expect(harness.consoleProblems).toEqual([]);
  });
});
