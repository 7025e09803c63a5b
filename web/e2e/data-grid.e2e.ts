// The Data tab as a grid people can use, in a real browser against a real local Kiln (see harness.ts): column labels
// instead of raw names, a cell edited in place (and a required one refused in words when emptied), search that narrows
// the rows through the API, and a CSV import that shows what it will change before it changes anything.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type KilnBrowser, ready, shot, startKilnBrowser } from "./harness";

const APP_SOURCE = `import { Hono } from "hono";
import { defineTables, type AppEnv } from "kiln";

export const tables = defineTables({
  products: { name: "text", unitPriceCents: "integer", inStock: "boolean", note: "text?" },
});

const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();
app.get("/", (c) => c.text("shop"));
export default app;
`;

let harness: KilnBrowser;
let context: BrowserContext;
let page: Page;
let app: { id: string };

async function api(method: "GET" | "POST" | "PUT", urlPath: string, data?: unknown): Promise<Record<string, unknown>> {
  const response = await page.request.fetch(`${harness.kiln.url}${urlPath}`, { method, data });
  if (!response.ok()) throw new Error(`${method} ${urlPath}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

const row = (id: number) => api("GET", `/api/apps/${app.id}/data/products/${id}?env=preview`);

beforeAll(async () => {
  harness = await startKilnBrowser("data-grid-kiln.log");
  context = await harness.newContext({ width: 1280, height: 900 });
  page = await context.newPage();
  await api("POST", "/api/auth/signup", {
    email: `data-grid-${Date.now()}@example.com`,
    password: "correct horse battery",
  });
  const created = await api("POST", "/api/apps", { name: "Corner Shop" });
  app = { id: String(created.id) };
  await api("PUT", `/api/apps/${app.id}/source`, { files: { "src/index.ts": APP_SOURCE } });
  for (const product of [
    { name: "Blue mug", unitPriceCents: 1200, inStock: true },
    { name: "Red mug", unitPriceCents: 1300, inStock: false },
    { name: "Teapot", unitPriceCents: 4000, inStock: true, note: "fragile" },
  ])
    await api("POST", `/api/apps/${app.id}/data/products?env=preview`, product);
});

afterAll(async () => {
  await harness?.stop();
});

describe("the Data tab's grid", () => {
  test("labels, inline edit, a required cell refused in words, search", async () => {
    await page.goto(`${harness.kiln.url}/apps/${app.id}/data?env=preview&table=products`);
    await ready(page);
    const region = page.getByRole("region", { name: "Rows of products" });
    await region.waitFor();
    // Labels, with the raw name as the tooltip; an empty value is an empty cell, not "null".
    const header = region.getByRole("columnheader", { name: /Unit price cents/ });
    expect(await header.getAttribute("title")).toBe("unitPriceCents");
    expect(await region.getByRole("columnheader", { name: /Created at/ }).count()).toBe(1);
    expect(await region.textContent()).not.toContain("null");
    expect(await page.getByText("Rows 1–3 of 3").count()).toBe(1);
    await shot(page, "grid-01-labels");

    // Click a cell, type, Enter: saved in place.
    await region.getByRole("link", { name: "1200" }).click();
    const price = page.getByRole("spinbutton", { name: "Unit price cents of row 1" });
    await price.fill("1250");
    await price.press("Enter");
    await region.getByRole("link", { name: "1250" }).waitFor();
    expect((await row(1)).unitPriceCents).toBe(1250);

    // Emptying a required cell is refused in words beside the cell, and what was typed stays.
    await region.getByRole("link", { name: "Red mug" }).click();
    const name = page.getByRole("textbox", { name: "Name of row 2" });
    await name.fill("   ");
    await name.press("Enter");
    const refusal = region.getByRole("alert");
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe("Name is required: it can't be empty.");
    expect(await name.inputValue()).toBe("   ");
    expect(await name.getAttribute("aria-invalid")).toBe("true");
    await shot(page, "grid-02-required-refused");
    await name.press("Escape");
    await region.getByRole("link", { name: "Red mug" }).waitFor();
    expect((await row(2)).name).toBe("Red mug");

    // Search narrows the rows through the API, and the URL keeps it across a reload.
    await page.getByRole("searchbox", { name: "Search" }).fill("mug");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/q=mug/);
    await page.getByText("Rows 1–2 of 2 matching (3 in the table)").waitFor();
    expect(await region.locator("tbody tr").count()).toBe(2);
    await page.reload();
    await page.getByText("Rows 1–2 of 2 matching (3 in the table)").waitFor();
    await shot(page, "grid-03-search");
  });

  test("a CSV import shows its preview, then applies once", async () => {
    await page.goto(`${harness.kiln.url}/apps/${app.id}/data?env=preview&table=products`);
    await ready(page);
    await page.getByRole("link", { name: "Import CSV" }).click();
    const dir = await mkdtemp(path.join(tmpdir(), "kiln-grid-"));
    const file = path.join(dir, "products.csv");
    await writeFile(
      file,
      'ID,Name,Unit price cents,In stock\r\n3,Teapot,4500,yes\r\n,"Plate, large",900,no\r\n,Spoon,300,yes\r\n',
    );
    await page.getByLabel("CSV file").setInputFiles(file);
    await page.getByRole("button", { name: "Preview import" }).click();
    const counts = page.getByRole("status").filter({ hasText: "to add" });
    await counts.waitFor();
    expect(await counts.textContent()).toContain("2 to add · 1 to change · 0 refused");
    expect(await page.getByText("Change row 3").count()).toBe(1);
    expect((await api("GET", `/api/apps/${app.id}/data/products?env=preview`)).total).toBe(3);
    await shot(page, "grid-04-import-preview");

    await page.getByRole("button", { name: "Import: add 2, change 1" }).click();
    await page.getByText("Imported: 2 rows added, 1 row changed.").waitFor();
    expect((await api("GET", `/api/apps/${app.id}/data/products?env=preview`)).total).toBe(5);
    expect((await row(3)).unitPriceCents).toBe(4500);
    const region = page.getByRole("region", { name: "Rows of products" });
    expect(await region.getByRole("link", { name: "Plate, large" }).count()).toBe(1);
    await shot(page, "grid-05-imported");
  });

  test("without JavaScript a cell is still edited in place, and refused in words", async () => {
    const noJs = await harness.newContext({ width: 1280, height: 900, javaScriptEnabled: false });
    await noJs.addCookies(await context.cookies());
    const plain = await noJs.newPage();
    await plain.goto(`${harness.kiln.url}/apps/${app.id}/data?env=preview&table=products`);
    const region = plain.getByRole("region", { name: "Rows of products" });
    await region.getByRole("link", { name: "Teapot" }).click();
    const name = plain.getByRole("textbox", { name: "Name of row 3" });
    await name.fill("");
    await plain.getByRole("button", { name: "Save" }).click();
    expect(await plain.getByRole("alert").textContent()).toBe("Name is required: it can't be empty.");
    await plain.getByRole("textbox", { name: "Name of row 3" }).fill("Big teapot");
    await plain.getByRole("button", { name: "Save" }).click();
    await plain.getByText("Row 3 saved.").waitFor();
    expect((await row(3)).name).toBe("Big teapot");
    await noJs.close();
  });

  test("the browser console stayed clean", () => {
    expect(harness.consoleProblems).toEqual([]);
  });
});
