// The builder end to end in a real browser (Chromium via playwright-core, scripts/chromium.mjs)
// against a real local Kiln, the issue's whole flow: sign up, create an app from a
// template, see the preview, edit a file and see the type error, fix it, publish,
// open the live URL, connect demo Stripe (and Google, which the digest also
// writes to), run an automation and read its run log, roll back. Every step's
// screenshot lands in test-artifacts/e2e/; workspace.png there is the README's picture
// (copy it to docs/screenshots/ when the workspace changes).
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  artifacts,
  confirmRelease,
  fitsViewport,
  type Kiln,
  type KilnBrowser,
  ready,
  shot,
  startKilnBrowser,
} from "./harness";

const DIGEST = "Daily Stripe revenue digest to Google Sheets";
const TITLE_LINE = 'const APP_TITLE = "Revenue digest";';
const BROKEN_TITLE_LINE = 'const APP_TITLE: number = "Revenue digest";';

let harness: KilnBrowser;
let kiln: Kiln;

beforeAll(async () => {
  harness = await startKilnBrowser("kiln.log");
  kiln = harness.kiln;
});

afterAll(async () => {
  await harness?.stop();
});

function newContext(options: { width: number; height: number; javaScriptEnabled?: boolean }): Promise<BrowserContext> {
  return harness.newContext(options);
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${kiln.url}/login`);
  await ready(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${kiln.url}/apps`);
}

/** Opens a workspace tab by its link and waits for its page. */
async function openTab(page: Page, appPath: string, label: string, suffix: string): Promise<void> {
  await page.getByRole("navigation", { name: "App sections" }).getByRole("link", { name: label, exact: true }).click();
  await page.waitForURL(`${kiln.url}${appPath}${suffix}`);
}

/** The text of the app inside the preview frame. */
async function previewText(page: Page): Promise<string> {
  const frame = page.frameLocator('[data-testid="preview-frame"]');
  await frame.locator("body").waitFor();
  return (await frame.locator("body").textContent()) ?? "";
}

describe("Kiln builder", () => {
  const email = `e2e-${Date.now()}@example.com`;
  const password = "correct horse battery";
  let appPath = "";

  test("sign up → template → preview → type error → fix → publish → live → demo Stripe → run an automation → roll back", async () => {
    const context = await newContext({ width: 1280, height: 900 });
    const page = await context.newPage();

    // Signed out: the app list sends us to sign in; sign up from there.
    await page.goto(`${kiln.url}/apps`);
    await expect.poll(() => new URL(page.url()).pathname).toBe("/login");
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL(`${kiln.url}/signup`);
    await ready(page);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${kiln.url}/apps`);
    await ready(page);
    expect(await page.getByText("No apps yet").isVisible()).toBe(true);

    // The gallery: each template with its description and a real screenshot.
    const gallery = page.getByRole("list", { name: "Templates" });
    expect(await gallery.getByRole("listitem").count()).toBeGreaterThanOrEqual(6);
    const digestCard = page.getByTestId("template-revenue-digest");
    expect(await digestCard.textContent()).toContain("Uses Stripe, Google");
    const picture = digestCard.getByRole("img", { name: `Screenshot of the ${DIGEST} template` });
    await picture.scrollIntoViewIfNeeded();
    await expect.poll(() => picture.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await shot(page, "01-apps-gallery");

    // Create from the template: the workspace opens and the build streams into the chat.
    await digestCard.getByRole("button", { name: `Use the ${DIGEST} template` }).click();
    await page.waitForURL(/\/apps\/app_[^/]+$/);
    appPath = new URL(page.url()).pathname;
    await ready(page);
    const built = page.getByTestId("turn-preview");
    await built.waitFor({ timeout: 60_000 });
    expect(await built.textContent()).toContain("v1 is ready");
    expect(await page.getByRole("list", { name: "Build steps, try 1" }).textContent()).toMatch(
      /Type-check.*passed.*Smoke test.*passed/s,
    );
    // The preview frame shows the new version.
    await expect.poll(() => previewText(page), { timeout: 20_000 }).toContain("Revenue digest");
    await shot(page, "02-workspace-preview");

    // The device toggle narrows the frame to a phone's width.
    await page.getByLabel("Phone (390px)").check();
    await expect
      .poll(() => page.getByTestId("preview-frame").evaluate((f) => f.getBoundingClientRect().width))
      .toBe(390);
    await shot(page, "03-preview-phone");
    await page.getByLabel("Desktop").check();

    // Publish the template as it is (v1), so there is something to roll back to later.
    await openTab(page, appPath, "Versions", "/versions");
    await confirmRelease(page, "Publish v1");
    await page.getByTestId("version-v1").getByText("Live", { exact: true }).waitFor({ timeout: 60_000 });

    // Code: the template's files; a type error is refused with file:line:column and v1 keeps serving.
    await openTab(page, appPath, "Code", "/code");
    // The editor (CodeMirror) once loaded; the form's hidden field holds its text.
    const editor = page.locator('.cm-content[aria-label="src/index.ts"]');
    await editor.waitFor();
    const original = await page.locator("#code-editor").inputValue();
    expect(original).toContain(TITLE_LINE);
    await editor.fill(original.replace(TITLE_LINE, BROKEN_TITLE_LINE));
    await page.getByRole("button", { name: "Save & build" }).click();
    const problems = page.getByRole("list", { name: "Build problems" });
    await problems.waitFor({ timeout: 60_000 });
    const titleLine = original.split("\n").indexOf(TITLE_LINE) + 1;
    expect(await problems.textContent()).toMatch(
      new RegExp(`src/index\\.ts:${titleLine}:\\d+.*not assignable to type 'number'`),
    );
    await shot(page, "04-type-error");

    // Fix it: v2 is built and the preview serves it.
    await editor.fill(original.replace(TITLE_LINE, 'const APP_TITLE = "Revenue digest (v2)";'));
    await page.getByRole("button", { name: "Save & build" }).click();
    await page.getByTestId("save-ok").waitFor({ timeout: 60_000 });
    expect(await problems.count()).toBe(0);
    await openTab(page, appPath, "Preview", "");
    await expect.poll(() => previewText(page), { timeout: 20_000 }).toContain("Revenue digest (v2)");
    await shot(page, "05-fixed-preview");

    // Versions: the diff of v2 against v1 is the one changed line; what v2 may call is shown before publishing.
    await openTab(page, appPath, "Versions", "/versions");
    const v2 = page.getByTestId("version-v2");
    await v2.waitFor();
    await v2.getByRole("link", { name: "Changes in v2" }).click();
    const compare = page.getByTestId("compare");
    await expect.poll(async () => (await compare.textContent()) ?? "").toContain('"Revenue digest (v2)"');
    expect(await compare.textContent()).toContain(TITLE_LINE);
    const permissions = ((await v2.getByTestId("permissions").textContent()) ?? "").replace(/\s+/g, " ");
    expect(permissions).toContain("v2 will be able to call:");
    expect(permissions).toContain("api.stripe.com (Stripe)");
    expect(permissions).toContain("sheets.googleapis.com (Google)");
    expect(permissions).toContain("Stripe is not connected");
    await shot(page, "06-diff-and-permissions");
    await confirmRelease(page, "Publish v2");
    await v2.getByText("Live", { exact: true }).waitFor({ timeout: 60_000 });
    const liveUrl = await page.getByTestId("live-url").getAttribute("href");
    expect(liveUrl).toMatch(new RegExp(`^http://[a-z0-9-]+\\.localhost:${kiln.port}/$`));
    await shot(page, "07-published");

    // The live URL serves v2, to its owner only (the digest's code asks for that): the app's sign-in page sends
    // the owner through Kiln, where they are signed in already, and back.
    const live = await context.newPage();
    await live.goto(liveUrl ?? "");
    expect(new URL(live.url()).pathname).toBe("/_kiln/sign-in");
    await live.getByRole("link", { name: "Open it from Kiln" }).click();
    await live.waitForURL(liveUrl ?? "");
    expect(await live.textContent("body")).toContain("Revenue digest (v2)");
    await shot(live, "08-live");
    await live.close();

    // Connections: demo Stripe and demo Google (the digest reads one and writes the other).
    await page.getByRole("link", { name: "Connections" }).click();
    await page.waitForURL(`${kiln.url}/connections`);
    await ready(page);
    await page.getByTestId("connection-stripe").getByRole("button", { name: "Use demo" }).click();
    await expect
      .poll(async () =>
        (await page.getByTestId("connection-stripe").getByTestId("status").textContent())?.replace(/\s+/g, " ").trim(),
      )
      .toBe("Connected Demo");
    await page.getByTestId("connection-google").getByRole("button", { name: "Use demo" }).click();
    await page.waitForURL(/\/connections\?connection=con_/);
    await ready(page);
    await shot(page, "09-demo-connections");

    // Automations: the digest's schedule in words; run it now on live and read its run.
    await page.goto(`${kiln.url}${appPath}/automations`);
    await ready(page);
    const digest = page.getByTestId("automation-dailyDigest");
    expect(await digest.getByTestId("schedule").textContent()).toContain("Every day at 08:00");
    await digest.getByRole("button", { name: "Run now (live)" }).click();
    const outcome = digest.getByTestId("run-now-outcome");
    await outcome.waitFor({ timeout: 60_000 });
    expect(await outcome.textContent()).toContain("Succeeded");
    await shot(page, "10-automation-ran");
    await outcome.getByRole("link", { name: "Open this run" }).click();
    await page.waitForURL(new RegExp(`${appPath}/automations/runs/`));
    await ready(page);
    expect(await page.getByTestId("attempt-logs").textContent()).toMatch(
      /revenue digest for \d{4}-\d{2}-\d{2}: \d+ paid invoices/,
    );
    const calls = (await page.getByTestId("egress-call").allTextContents()).join("\n");
    expect(calls).toContain("api.stripe.com");
    expect(calls).toContain("sheets.googleapis.com");
    await shot(page, "11-run-log");

    // Roll back to v1: live serves the template's own title again.
    await page.goto(`${kiln.url}${appPath}/versions`);
    await ready(page);
    await confirmRelease(page, "Roll back to v1");
    await page.getByTestId("version-v1").getByText("Live", { exact: true }).waitFor({ timeout: 60_000 });
    const rolledBack = await context.newPage();
    await rolledBack.goto(liveUrl ?? "");
    await expect.poll(async () => (await rolledBack.textContent("body")) ?? "").not.toContain("(v2)");
    await rolledBack.close();
    await shot(page, "12-rolled-back");

    // The app list shows what runs where.
    await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Apps" }).click();
    await page.waitForURL(`${kiln.url}/apps`);
    expect((await page.getByTestId("app-revenue-digest").textContent())?.replace(/\s+/g, " ")).toMatch(
      /Live v1 Preview v2 1 automation/,
    );

    // The README's picture: the workspace with the chat and the preview.
    await page.goto(`${kiln.url}${appPath}`);
    await ready(page);
    await expect.poll(() => previewText(page), { timeout: 20_000 }).toContain("Revenue digest");
    await page.screenshot({ path: path.join(artifacts, "workspace.png") });
    await context.close();
  });

  test("describing an app in a sentence builds it in the workspace, streamed", async () => {
    const context = await newContext({ width: 1280, height: 900 });
    const page = await context.newPage();
    await signIn(page, email, password);
    await page.getByLabel("Describe a new app").fill("Track my books with title, author and rating");
    await page.getByRole("button", { name: "Build it" }).click();
    await page.waitForURL(/\/apps\/app_[^/]+$/);
    // The turn keeps streaming into the workspace's chat after the page changed.
    await page.getByTestId("live-turn").waitFor();
    await page.getByTestId("turn-preview").waitFor({ timeout: 60_000 });
    await expect.poll(() => previewText(page), { timeout: 20_000 }).toMatch(/Book/);
    await shot(page, "13-from-a-sentence");
    // The turn is kept: after a reload it is in the chat history.
    await page.reload();
    await ready(page);
    expect(await page.getByRole("article", { name: /Track my books/ }).count()).toBe(1);
    await context.close();
  });

  test("works at 390 px wide", async () => {
    const context = await newContext({ width: 390, height: 844 });
    const page = await context.newPage();
    await signIn(page, email, password);
    expect(await fitsViewport(page)).toBe(true);
    await shot(page, "14-mobile-apps");
    for (const [suffix, name] of [
      ["", "preview"],
      ["/code", "code"],
      ["/versions", "versions"],
      ["/logs", "logs"],
    ] as const) {
      await page.goto(`${kiln.url}${appPath}${suffix}`);
      await ready(page);
      expect(await fitsViewport(page), `${name} fits 390 px`).toBe(true);
      await shot(page, `15-mobile-${name}`);
    }
    await context.close();
  });

  test("the app list's first load ships at most 150 KB of gzipped JavaScript", async () => {
    const context = await newContext({ width: 1280, height: 900 });
    const page = await context.newPage();
    await signIn(page, email, password);
    const scripts = new Set<string>();
    page.on("response", (response) => {
      if (response.request().resourceType() === "script" && response.url().startsWith(kiln.url))
        scripts.add(response.url());
    });
    await page.goto(`${kiln.url}/apps`, { waitUntil: "networkidle" });
    await ready(page);
    let gzipped = 0;
    for (const url of scripts) gzipped += gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer())).length;
    expect(scripts.size).toBeGreaterThan(0);
    expect(gzipped).toBeLessThanOrEqual(150 * 1024);
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
    await shot(page, "16-login-error");

    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${kiln.url}/apps`);
    // The resizable split answers the keyboard.
    await page.goto(`${kiln.url}${appPath}`);
    await ready(page);
    const split = page.getByRole("separator", { name: "Resize the chat pane" });
    const before = Number(await split.getAttribute("aria-valuenow"));
    await split.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    expect(Number(await split.getAttribute("aria-valuenow"))).toBe(before + 48);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${kiln.url}/login`);
    await page.goto(`${kiln.url}/apps`);
    await expect.poll(() => new URL(page.url()).pathname).toBe("/login");
    await context.close();
  });

  test("pages work without JavaScript", async () => {
    const context = await newContext({ width: 1280, height: 900, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${kiln.url}/login?next=${encodeURIComponent(`${appPath}/code`)}`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${kiln.url}${appPath}/code`);

    const editor = page.getByLabel("src/index.ts");
    // Preview serves v2 now (a rollback changes live only).
    await editor.fill((await editor.inputValue()).replace("const APP_TITLE = ", "const APP_TITLE: number = "));
    await page.getByRole("button", { name: "Save & build" }).click();
    await page.getByRole("list", { name: "Build problems" }).waitFor();

    // A template, built while the browser waits, then the workspace.
    await page.goto(`${kiln.url}/apps`);
    await page.getByRole("button", { name: "Use the Tracker template" }).click();
    await page.waitForURL(/\/apps\/app_[^/]+$/, { timeout: 60_000 });
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Tracker");
    expect(await page.getByTestId("preview-frame").count()).toBe(1);

    await page.goto(`${kiln.url}/apps`);
    await page.getByText("Start from an empty app instead").click();
    await page.getByLabel("New app name").fill("No JS app");
    await page.getByRole("button", { name: "Create app" }).click();
    await page.waitForURL(/\/apps\/[^/]+$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("No JS app");
    await shot(page, "17-no-js-created");
    await context.close();
  });

  test("the browser console stayed clean (no CSP violations or script errors)", () => {
    expect(harness.consoleProblems).toEqual([]);
  });
});
