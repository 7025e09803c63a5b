// What every browser test of the web UI needs: a real local Kiln
// (scripts/local-server.mjs: the platform and the app runner on workerd, in
// demo mode with the loopback fakes of Stripe, Airtable and Google) and
// Chromium (scripts/chromium.mjs: the system's, or the build the project
// brings) driven by playwright-core, with its console watched.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath } from "../../scripts/chromium.mjs";
import * as localServer from "../../scripts/local-server.mjs";

/** scripts/local-server.mjs is untyped JS; this is the part of it the tests use. */
export interface Kiln {
  url: string;
  port: number;
  stop(): Promise<void>;
}
const startKiln = localServer.startKiln as unknown as (
  options: { port: number; persistTo: string; logFile: string } & KilnOptions,
) => Promise<Kiln>;

/** How to start Kiln: `demo` (default on) runs the loopback fakes; `vars` are extra platform variables. */
export interface KilnOptions {
  demo?: boolean;
  vars?: Record<string, string>;
}
const freePort = localServer.freePort as unknown as () => Promise<number>;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Screenshots and Kiln's log land here. */
export const artifacts = path.join(root, "test-artifacts", "e2e");

/** A running Kiln and a browser pointed at it. */
export interface KilnBrowser {
  kiln: Kiln;
  browser: Browser;
  /** Errors the Kiln UI logged in the browser (CSP violations, script errors). */
  consoleProblems: string[];
  newContext(options: { width: number; height: number; javaScriptEnabled?: boolean }): Promise<BrowserContext>;
  stop(): Promise<void>;
}

/**
 * Starts Kiln (or uses KILN_E2E_URL, e.g. http://localhost:8787, when one is
 * already running) and Chromium. `logName` names Kiln's log file in artifacts.
 */
export async function startKilnBrowser(logName: string, options: KilnOptions = {}): Promise<KilnBrowser> {
  mkdirSync(artifacts, { recursive: true });
  const persistTo = mkdtempSync(path.join(tmpdir(), "kiln-e2e-"));
  const existing = process.env.KILN_E2E_URL;
  const kiln: Kiln = existing
    ? { url: existing.replace(/\/$/, ""), port: Number(new URL(existing).port || 80), stop: async () => {} }
    : // Both processes' output goes to a file kept with the screenshots.
      await startKiln({ port: await freePort(), persistTo, logFile: path.join(artifacts, logName), ...options });
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS });
  } catch (error) {
    await kiln.stop();
    rmSync(persistTo, { recursive: true, force: true });
    throw error;
  }
  const consoleProblems: string[] = [];

  function watchConsole(page: Page): void {
    page.on("console", (message) => {
      // Only the Kiln UI: an app's own pages may log whatever they like.
      // 4xx answers to form posts (e.g. a wrong password) are expected; the tests check those themselves.
      if (
        message.type() !== "error" ||
        !page.url().startsWith(kiln.url) ||
        message.text().startsWith("Failed to load resource")
      )
        return;
      consoleProblems.push(`${page.url()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => consoleProblems.push(`${page.url()}: ${error.message}`));
  }

  return {
    kiln,
    browser,
    consoleProblems,
    async newContext(options) {
      const context = await browser.newContext({
        viewport: { width: options.width, height: options.height },
        javaScriptEnabled: options.javaScriptEnabled ?? true,
      });
      context.on("page", watchConsole);
      return context;
    },
    async stop() {
      await browser.close();
      await kiln.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}

/** Waits until SvelteKit has hydrated the page, so typing is not undone by hydration. */
export async function ready(page: Page): Promise<void> {
  await page.waitForSelector("html[data-hydrated]", { state: "attached" });
}

/** Signs up through the sign-up page and waits for the app list (the page is then signed in). */
export async function signUp(
  page: Page,
  kilnUrl: string,
  email: string,
  password = "correct horse battery",
): Promise<void> {
  await page.goto(`${kilnUrl}/signup`);
  await ready(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${kilnUrl}/apps`);
}

/** Creates an app from one `src/index.ts` through the API as the page's signed-in user, and publishes it. */
export async function publishApp(
  page: Page,
  kilnUrl: string,
  name: string,
  source: string,
): Promise<{ id: string; liveUrl: string; previewUrl: string }> {
  const headers = { origin: kilnUrl };
  const created = await page.request.post(`${kilnUrl}/api/apps`, { data: { name }, headers });
  if (created.status() !== 201) throw new Error(`creating ${name} failed: ${await created.text()}`);
  const app = (await created.json()) as { id: string; liveUrl: string; previewUrl: string };
  const upload = await page.request.put(`${kilnUrl}/api/apps/${app.id}/source`, {
    data: { files: { "src/index.ts": source } },
    headers,
  });
  if (upload.status() !== 200) throw new Error(`uploading ${name} failed: ${await upload.text()}`);
  const { version } = (await upload.json()) as { version: string };
  const published = await page.request.post(`${kilnUrl}/api/apps/${app.id}/publish`, { data: { version }, headers });
  if (published.status() !== 200) throw new Error(`publishing ${name} failed: ${await published.text()}`);
  return app;
}

/**
 * Publishes (or rolls back to) a version from the Versions tab as a person does: `action` ("Publish v2",
 * "Roll back to v1") opens the summary of what changes, which is confirmed once; answers the summary.
 */
export async function confirmRelease(
  page: Page,
  action: string,
  options: { liveData?: "copy" | "empty" } = {},
): Promise<Locator> {
  await page.getByRole("link", { name: `${action}…` }).click();
  const review = page.getByTestId("publish-review");
  await review.getByRole("button", { name: action }).waitFor();
  if (options.liveData === "copy") await review.getByLabel(/Copy the preview/).check();
  if (options.liveData === "empty") await review.getByLabel("Start the live app empty").check();
  await review.getByRole("button", { name: action }).click();
  return review;
}

/** A full-page screenshot into test-artifacts/e2e/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

/** True when nothing on the page is wider than the viewport (no sideways page scroll). */
export async function fitsViewport(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}
