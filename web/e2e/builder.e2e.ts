// The web UI end to end in a real browser: sign up, create an app, save code,
// open the preview, publish, read logs and data — against a real local Kiln
// (wrangler dev on workerd) and Debian's Chromium driven by playwright-core.
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fitsViewport, type Kiln, type KilnBrowser, ready, shot, startKilnBrowser } from "./harness";

const APP_SOURCE = `import { Hono } from "hono";
import { defineTables, type AppEnv } from "kiln";

export const tables = defineTables({
  visits: { path: "text" },
});

const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();

app.get("/", async (c) => {
  console.log("hello from the e2e app");
  await c.env.DB.insert("visits", { path: "/" });
  return c.text("Hello from the e2e app");
});

export default app;
`;

/**
 * v2 drops the visits table: a destructive change Kiln asks about before saving and publishing.
 * It also reads Airtable, so the owner sees "Uses: Airtable" on it (v1 uses no service).
 */
const NO_TABLES_SOURCE = `import { Hono } from "hono";
import { airtable } from "kiln/airtable";

const app = new Hono();
app.get("/", (c) => c.text("Version two"));
app.get("/contacts", async (c) => c.json((await airtable.table("appE2e", "Contacts").list()).records));

export default app;
`;

const BROKEN_SOURCE = `import { Hono } from "hono";

const app = new Hono();
const count: number = "not a number";
app.get("/", (c) => c.text(String(count)));

export default app;
`;

let harness: KilnBrowser;
let kiln: Kiln;

function newContext(options: { width: number; height: number; javaScriptEnabled?: boolean }): Promise<BrowserContext> {
  return harness.newContext(options);
}

beforeAll(async () => {
  harness = await startKilnBrowser("kiln.log");
  kiln = harness.kiln;
});

afterAll(async () => {
  await harness?.stop();
});

describe("Kiln web UI", () => {
  const email = `e2e-${Date.now()}@example.com`;
  const password = "correct horse battery";
  let appPath = "";

  test("sign up, create an app, build, preview, publish, logs and data", async () => {
    const context = await newContext({ width: 1280, height: 900 });
    const page = await context.newPage();

    // Signed out: the app list sends us to sign in.
    await page.goto(`${kiln.url}/apps`);
    await expect.poll(() => new URL(page.url()).pathname).toBe("/login");

    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL(`${kiln.url}/signup`);
    await ready(page);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${kiln.url}/apps`);
    await expect.poll(() => page.getByText("No apps yet").isVisible()).toBe(true);
    await shot(page, "01-apps-empty");

    await page.getByLabel("New app name").fill("E2E Hello");
    await page.getByRole("button", { name: "Create app" }).click();
    await page.waitForURL(/\/apps\/[^/]+$/);
    appPath = new URL(page.url()).pathname;
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("E2E Hello");
    await expect.poll(() => page.getByText("No versions yet").isVisible()).toBe(true);

    // A type error comes back as diagnostics with file:line:column.
    const source = page.getByLabel("src/index.ts");
    await source.fill(BROKEN_SOURCE);
    await page.getByRole("button", { name: "Save & build" }).click();
    const problems = page.getByRole("list", { name: "Build problems" });
    await problems.waitFor();
    expect(await problems.textContent()).toMatch(/src\/index\.ts:4:\d+/);
    await shot(page, "02-build-diagnostics");
    expect(await source.inputValue()).toBe(BROKEN_SOURCE);

    // A working app: the preview link appears.
    await source.fill(APP_SOURCE);
    await page.getByRole("button", { name: "Save & build" }).click();
    const previewLink = page.getByTestId("preview-url");
    await previewLink.waitFor({ timeout: 60_000 });
    const previewUrl = await previewLink.getAttribute("href");
    expect(previewUrl).toMatch(new RegExp(`^http://[a-z0-9-]+--preview\\.localhost:${kiln.port}/$`));
    await page.getByTestId("version-v1").waitFor();
    await expect.poll(() => source.inputValue()).toBe(APP_SOURCE);
    await shot(page, "03-saved");

    // The preview serves the app (Chromium resolves *.localhost itself).
    const preview = await context.newPage();
    await preview.goto(previewUrl ?? "");
    expect(await preview.textContent("body")).toContain("Hello from the e2e app");
    await shot(preview, "04-preview");
    await preview.close();

    // Publish v1: it is marked live and the live URL appears.
    await page.getByRole("button", { name: "Publish v1" }).click();
    const v1 = page.getByTestId("version-v1");
    await v1.getByText("Live", { exact: true }).waitFor();
    const liveUrl = await page.getByTestId("live-url").getAttribute("href");
    expect(liveUrl).toMatch(new RegExp(`^http://[a-z0-9-]+\\.localhost:${kiln.port}/$`));
    await shot(page, "05-published");

    const live = await context.newPage();
    await live.goto(liveUrl ?? "");
    expect(await live.textContent("body")).toContain("Hello from the e2e app");
    await live.close();

    // Logs: the preview request's console.log shows up (log delivery is asynchronous).
    await page.getByRole("link", { name: "Logs" }).click();
    await page.waitForURL(`${kiln.url}${appPath}/logs`);
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByRole("cell", { name: "hello from the e2e app" }).count();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBeGreaterThan(0);
    await shot(page, "06-logs");

    // Filter by environment.
    await page.getByLabel("Environment").selectOption("live");
    await page.getByRole("button", { name: "Show logs" }).click();
    await page.waitForURL(/env=live/);
    await shot(page, "07-logs-live");

    // Data: the preview database has the visits table with a row.
    await page.getByRole("link", { name: "Data" }).click();
    await page.waitForURL(`${kiln.url}${appPath}/data`);
    await page.getByRole("link", { name: "visits" }).click();
    await page.getByRole("region", { name: "Rows of visits" }).waitFor();
    expect(await page.getByRole("region", { name: "Rows of visits" }).textContent()).toContain("path");
    await shot(page, "08-data");
    expect(await fitsViewport(page)).toBe(true);

    // v2 drops the table: saving asks first, then publishing asks first.
    await page.getByRole("link", { name: "Code & versions" }).click();
    await page.waitForURL(`${kiln.url}${appPath}`);
    await source.fill(NO_TABLES_SOURCE);
    await page.getByRole("button", { name: "Save & build", exact: true }).click();
    const confirmSave = page.getByTestId("confirm-destructive-save");
    await confirmSave.waitFor();
    expect(await confirmSave.textContent()).toContain("visits");
    expect(await source.inputValue()).toBe(NO_TABLES_SOURCE);
    await shot(page, "09-confirm-destructive-save");
    await page.getByRole("button", { name: "Save & build anyway" }).click();
    await page.getByTestId("version-v2").waitFor();
    // The services each version uses are what its code imports.
    expect(await page.getByTestId("version-v2").getByTestId("uses").textContent()).toBe("Uses: Airtable");
    expect(await page.getByTestId("version-v1").getByTestId("uses").count()).toBe(0);

    await page.getByRole("button", { name: "Publish v2" }).click();
    const confirmPublish = page.getByTestId("confirm-destructive");
    await confirmPublish.waitFor();
    expect(await confirmPublish.textContent()).toContain("visits");
    await shot(page, "10-confirm-destructive-publish");
    await page.getByRole("button", { name: "Publish v2 anyway" }).click();
    await page.getByTestId("version-v2").getByText("Live", { exact: true }).waitFor();
    expect(await page.getByTestId("release-uses").textContent()).toBe("It uses Airtable.");
    await shot(page, "10b-published-uses");

    // Roll back to v1 (adding the table back is not destructive).
    await page.getByRole("button", { name: "Roll back to v1" }).click();
    await page.getByTestId("version-v1").getByText("Live", { exact: true }).waitFor();
    await shot(page, "11-rolled-back");
    await context.close();
  });

  test("works at 390 px wide", async () => {
    const context = await newContext({ width: 390, height: 844 });
    const page = await context.newPage();
    await page.goto(`${kiln.url}/login`);
    await ready(page);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${kiln.url}/apps`);
    expect(await fitsViewport(page)).toBe(true);
    await shot(page, "12-mobile-apps");
    await page.goto(`${kiln.url}${appPath}`);
    expect(await fitsViewport(page)).toBe(true);
    await shot(page, "13-mobile-app");
    await page.goto(`${kiln.url}${appPath}/logs`);
    expect(await fitsViewport(page)).toBe(true);
    await shot(page, "14-mobile-logs");
    await context.close();
  });

  test("sign-in errors are in words, sign out works, and the keyboard reaches the forms", async () => {
    const context = await newContext({ width: 1280, height: 900 });
    const page = await context.newPage();
    await page.goto(`${kiln.url}/login`);
    await ready(page);
    await page.keyboard.press("Tab"); // skip link
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("email");
    await page.keyboard.type(email);
    await page.keyboard.press("Tab");
    await page.keyboard.type("wrong password");
    await page.keyboard.press("Enter");
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toMatch(/do not match/);
    await shot(page, "15-login-error");

    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${kiln.url}/apps`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${kiln.url}/login`);
    await page.goto(`${kiln.url}/apps`);
    await expect.poll(() => new URL(page.url()).pathname).toBe("/login");
    await context.close();
  });

  test("pages work without JavaScript", async () => {
    const context = await newContext({ width: 1280, height: 900, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${kiln.url}/login?next=${encodeURIComponent(appPath)}`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${kiln.url}${appPath}`);

    await page.getByLabel("src/index.ts").fill(BROKEN_SOURCE);
    await page.getByRole("button", { name: "Save & build" }).click();
    await page.getByRole("list", { name: "Build problems" }).waitFor();

    await page.goto(`${kiln.url}/apps`);
    await page.getByLabel("New app name").fill("No JS app");
    await page.getByRole("button", { name: "Create app" }).click();
    await page.waitForURL(/\/apps\/[^/]+$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("No JS app");
    await shot(page, "16-no-js-created");
    await context.close();
  });

  test("the browser console stayed clean (no CSP violations or script errors)", () => {
    expect(harness.consoleProblems).toEqual([]);
  });
});
