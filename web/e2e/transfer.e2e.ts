// An app's data goes where its owner takes it, in a real browser: the first publish shows what goes live and
// offers to take the preview's rows along; renamed, a duplicate takes its rows; an export downloads a zip that
// imports as a new app with the same data.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { artifacts, type KilnBrowser, ready, shot, startKilnBrowser } from "./harness";

let harness: KilnBrowser;

beforeAll(async () => {
  harness = await startKilnBrowser("transfer-kiln.log");
});

afterAll(async () => {
  await harness?.stop();
});

const SHOP = {
  "src/index.ts": `import { Hono } from "hono";
import { defineTables, type AppEnv } from "kiln";

export const tables = defineTables({ products: { name: "text", priceCents: "integer" } });

const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();
app.get("/", async (c) => {
  const products = await c.env.DB.list("products");
  return c.text(products.length === 0 ? "Nothing for sale yet" : products.map((p) => p.name).join(", "));
});
export default app;
`,
};

type Rows = { rows: { id: number; name: string; priceCents: number }[] };

/** Signs up through the API (the cookie lands in `context`), uploads the shop and adds two preview rows. */
async function shopWithRows(context: BrowserContext): Promise<string> {
  const { url } = harness.kiln;
  const signup = await context.request.post(`${url}/api/auth/signup`, {
    data: { email: `transfer-${Date.now()}@example.com`, password: "correct horse battery" },
  });
  expect(signup.status()).toBe(201);
  const { id } = (await (await context.request.post(`${url}/api/apps`, { data: { name: "Rosa's shop" } })).json()) as {
    id: string;
  };
  const upload = await context.request.put(`${url}/api/apps/${id}/source`, { data: { files: SHOP } });
  expect(upload.status(), await upload.text()).toBe(200);
  for (const row of [
    { name: "Mug", priceCents: 1200 },
    { name: "Lamp", priceCents: 4500 },
  ]) {
    const added = await context.request.post(`${url}/api/apps/${id}/data/products?env=preview`, { data: row });
    expect(added.status(), await added.text()).toBe(201);
  }
  return id;
}

async function rows(context: BrowserContext, appId: string, env: "preview" | "live") {
  const answer = await context.request.get(`${harness.kiln.url}/api/apps/${appId}/data/products?env=${env}`);
  return ((await answer.json()) as Rows).rows;
}

const text = async (locator: { textContent(): Promise<string | null> }) =>
  ((await locator.textContent()) ?? "").replace(/\s+/g, " ").trim();

describe("taking an app's data along", () => {
  test("first publish with the preview's rows, rename, duplicate, export and import", async () => {
    const { kiln } = harness;
    const context = await harness.newContext({ width: 1280, height: 1000 });
    const id = await shopWithRows(context);
    const page = await context.newPage();

    // Publishing v1 shows what goes live and asks, once, whether the preview's two rows come along.
    await page.goto(`${kiln.url}/apps/${id}/versions`);
    await ready(page);
    await page.getByRole("link", { name: "Publish v1…" }).click();
    const review = page.getByTestId("publish-review");
    await review.waitFor();
    expect(await text(review)).toContain("this is the app's first publish");
    expect(await text(review.getByTestId("review-code"))).toMatch(/^1 file in all \(\+\d+ −0\)/);
    expect(await text(review.getByTestId("review-schema"))).toContain("products");
    expect(await text(review.getByTestId("review-hosts"))).toBe("No change to what it may call.");
    expect(await text(review.getByTestId("review-data-choice"))).toContain("The preview has 2 rows");
    await shot(page, "transfer-01-first-publish");
    await review.getByLabel(/Copy the preview's 2 rows/).check();
    await review.getByRole("button", { name: "Publish v1" }).click();
    await page.getByTestId("release-copied").waitFor({ timeout: 60_000 });
    expect(await text(page.getByTestId("release-copied"))).toBe("Copied from the preview: 2 products.");
    expect(await rows(context, id, "live")).toEqual(await rows(context, id, "preview"));

    // Renamed, then duplicated: the copy opens under the new name with the same rows in its preview.
    await page.goto(`${kiln.url}/apps/${id}/settings`);
    await ready(page);
    await page.getByLabel("App name").fill("Rosa's corner shop");
    await page.getByRole("button", { name: "Rename" }).click();
    await page.getByText("Renamed.").waitFor();
    await page.getByRole("button", { name: "Duplicate" }).click();
    await page.waitForURL((url) => /\/apps\/app_[^/]+$/.test(url.pathname) && !url.pathname.includes(id));
    await ready(page);
    expect((await page.getByRole("heading", { level: 1 }).textContent())?.trim()).toBe("Rosa's corner shop (copy)");
    const copyId = page.url().split("/").at(-1)!;
    expect((await rows(context, copyId, "preview")).map((r) => r.name)).toEqual(["Mug", "Lamp"]);

    // Export the live app as a zip, then import it as a new app: the same code serves the same rows.
    await page.goto(`${kiln.url}/apps/${id}/settings`);
    await ready(page);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Export the live app" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/-live-v1\.zip$/);
    const zipPath = path.join(artifacts, "transfer-export.zip");
    await download.saveAs(zipPath);
    expect(readFileSync(zipPath).subarray(0, 2).toString()).toBe("PK");

    await page.goto(`${kiln.url}/apps`);
    await ready(page);
    await page.getByText("Start from an empty app instead").click();
    await page.getByRole("link", { name: "import an app" }).click();
    await page.waitForURL(`${kiln.url}/apps/import`);
    await ready(page);
    await page.getByLabel("Exported zip").setInputFiles(zipPath);
    await page.getByLabel(/^Name/).fill("Rosa's shop (moved)");
    await page.getByRole("button", { name: "Import" }).click();
    await page.waitForURL((url) => /\/apps\/app_[^/]+$/.test(url.pathname) && !url.pathname.includes(id));
    await ready(page);
    expect((await page.getByRole("heading", { level: 1 }).textContent())?.trim()).toBe("Rosa's shop (moved)");
    const importedId = page.url().split("/").at(-1)!;
    expect(await rows(context, importedId, "preview")).toEqual(await rows(context, id, "live"));
    await shot(page, "transfer-02-imported");

    // Something that is not an export is refused in words, and no app is made.
    await page.goto(`${kiln.url}/apps/import`);
    await ready(page);
    await page
      .getByLabel("Exported zip")
      .setInputFiles({ name: "notes.zip", mimeType: "application/zip", buffer: Buffer.from("hello") });
    await page.getByRole("button", { name: "Import" }).click();
    expect(await text(page.getByRole("alert"))).toContain("not a zip Kiln can read");
    expect(harness.consoleProblems).toEqual([]);
    await context.close();
  });
});
