// The Code tab end to end: file tree, editor (CodeMirror with Kiln's TypeScript: completions, problems before
// saving, search, format on save), saving builds a version, and the last build's problems survive a reload — in a
// real browser against a real Kiln, under the UI's strict CSP.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fitsViewport, type KilnBrowser, ready, shot, startKilnBrowser } from "./harness";

const INDEX = `import { Hono } from "hono";
import { greeting } from "./greeting";

const app = new Hono();
app.get("/", (c) => c.text(greeting));

export default app;
`;
const GREETING = `export const greeting: string = "hello from two files";\n`;
const BROKEN_GREETING = `// A number where text is expected.\nexport const greeting: string = 42;\n`;
const FIXED_GREETING = `export const greeting: string = "fixed in the code tab";\n`;

/** The editor of `path` once CodeMirror has loaded (its text box carries the file's name). */
async function codeMirror(page: Page, path: string) {
  const content = page.locator(`.cm-content[aria-label="${path}"]`);
  await content.waitFor();
  return content;
}

/** What the form would save: the (hidden) field the editor keeps in step. */
function savedField(page: Page): Promise<string> {
  return page.locator("#code-editor").inputValue();
}

/** The line the cursor is on, as the editor's gutter shows it. */
async function cursorLine(page: Page): Promise<number> {
  return Number(await page.locator(".cm-activeLineGutter").first().textContent());
}

/** True when `selector`'s first element shows whole: inside the window and every scrolling box around it. */
function inSight(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((css) => {
    const element = document.querySelector(css);
    if (element === null) return false;
    const box = element.getBoundingClientRect();
    let top = 0;
    let bottom = window.innerHeight;
    for (let node = element.parentElement; node !== null; node = node.parentElement) {
      if (getComputedStyle(node).overflowY === "visible") continue;
      const clip = node.getBoundingClientRect();
      top = Math.max(top, clip.top);
      bottom = Math.min(bottom, clip.bottom);
    }
    return box.height > 0 && box.top >= top - 1 && box.bottom <= bottom + 1;
  }, selector);
}

let harness: KilnBrowser;
const email = `code-${Date.now()}@example.com`;
const password = "correct horse battery";
let appId = "";

beforeAll(async () => {
  harness = await startKilnBrowser("code-kiln.log");
});

afterAll(async () => {
  await harness?.stop();
});

describe("Code tab", () => {
  test("tree, editor, a failed build's problems kept across a reload, then a fix", async () => {
    const { kiln } = harness;
    const context = await harness.newContext({ width: 1280, height: 900 });
    const page = await context.newPage();
    const headers = { origin: kiln.url };

    // An app with two files, set up through the API with the browser's own session.
    const signup = await page.request.post(`${kiln.url}/api/auth/signup`, { data: { email, password }, headers });
    expect(signup.status()).toBe(201);
    const created = await page.request.post(`${kiln.url}/api/apps`, { data: { name: "Two files" }, headers });
    const app = (await created.json()) as { id: string };
    appId = app.id;
    const upload = await page.request.put(`${kiln.url}/api/apps/${app.id}/source`, {
      data: { files: { "src/index.ts": INDEX, "src/greeting.ts": GREETING } },
      headers,
    });
    expect(upload.status()).toBe(200);

    await page.goto(`${kiln.url}/apps/${app.id}/code`);
    await ready(page);
    await codeMirror(page, "src/index.ts");
    expect(await savedField(page)).toBe(INDEX);
    expect(await page.locator(".cm-content").textContent()).toContain('app.get("/", (c) => c.text(greeting));');
    expect(await page.getByTestId("last-build").textContent()).toContain("Last build passed");

    // The tree: folders collapse and open from the keyboard; the second file opens from it.
    const tree = page.getByRole("tree", { name: "Files" });
    const folder = tree.getByRole("treeitem", { name: /^src\// });
    await tree.getByRole("treeitem", { name: /index\.ts/ }).focus();
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowLeft");
    expect(await folder.getAttribute("aria-expanded")).toBe("false");
    expect(await tree.getByRole("treeitem", { name: /greeting\.ts/ }).count()).toBe(0);
    await page.keyboard.press("ArrowRight");
    expect(await folder.getAttribute("aria-expanded")).toBe("true");
    await tree.getByRole("treeitem", { name: /greeting\.ts/ }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("file")).toBe("src/greeting.ts");
    const editor = await codeMirror(page, "src/greeting.ts");
    expect(await savedField(page)).toBe(GREETING);
    expect(await tree.getByRole("treeitem", { name: /greeting\.ts/ }).getAttribute("aria-selected")).toBe("true");

    // A new file's path is checked in words before anything is built.
    await page.getByLabel("New file").fill("../outside.ts");
    await page.getByRole("button", { name: "Add" }).click();
    expect(await page.getByRole("alert").filter({ hasText: "stays inside the app" }).count()).toBe(1);
    // Adding opens an empty, unsaved file; deleting it (after a confirmation) takes it out again.
    await page.getByLabel("New file").fill("src/extra.ts");
    await page.getByRole("button", { name: "Add" }).click();
    await codeMirror(page, "src/extra.ts");
    expect(await tree.getByRole("treeitem", { name: /extra\.ts/ }).count()).toBe(1);
    await page.getByRole("button", { name: "Delete file…" }).click();
    await page.getByRole("button", { name: "Delete src/extra.ts" }).click();
    expect(await tree.getByRole("treeitem", { name: /extra\.ts/ }).count()).toBe(0);
    await tree.getByRole("treeitem", { name: /greeting\.ts/ }).click();

    // Introduce a type error: unsaved marker, then save → problems with file:line:column, the file marked.
    await editor.fill(BROKEN_GREETING);
    await page.getByTestId("unsaved-marker").waitFor();
    // Leaving the tab with unsaved edits asks first; staying keeps them.
    page.once("dialog", (dialog) => void dialog.dismiss());
    await page.getByRole("link", { name: "Versions", exact: true }).click();
    expect(new URL(page.url()).pathname).toBe(`/apps/${app.id}/code`);
    await page.getByRole("button", { name: "Save & build" }).click();
    const problems = page.getByRole("list", { name: "Build problems" });
    await problems.waitFor({ timeout: 60_000 });
    expect(await problems.textContent()).toMatch(/src\/greeting\.ts:2:\d+/);
    const marked = tree.getByRole("treeitem", { name: /greeting\.ts/ });
    expect(await marked.getByTestId("file-problems").textContent()).toContain("1");
    expect(
      await tree
        .getByRole("treeitem", { name: /index\.ts/ })
        .getByTestId("file-problems")
        .count(),
    ).toBe(0);
    expect(await savedField(page)).toBe(BROKEN_GREETING);
    expect(await page.getByTestId("last-build").textContent()).toContain("Preview still serves v1");
    // The outcome shows right under the editor, and the problem is marked in it.
    expect(await page.getByTestId("save-failed").textContent()).toContain("1 problem must be fixed first");
    expect(await inSight(page, "[data-testid=save-failed]")).toBe(true);
    await page.locator(".cm-lintRange-error").first().waitFor();
    await shot(page, "code-01-problems-1280");

    // Reload: the last build's problems are still there (the unsaved text is not).
    await page.reload();
    await ready(page);
    await problems.waitFor();
    expect(await problems.textContent()).toMatch(/src\/greeting\.ts:2:\d+/);
    expect(await marked.getByTestId("file-problems").textContent()).toContain("1");

    // A problem opens its file at its line and column.
    await tree.getByRole("treeitem", { name: /index\.ts/ }).click();
    await codeMirror(page, "src/index.ts");
    await page.getByRole("link", { name: /^src\/greeting\.ts:2:\d+/ }).click();
    await codeMirror(page, "src/greeting.ts");
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains("cm-content"))).toBe(true);
    expect(await cursorLine(page)).toBe(2);

    // Fix it and save with Ctrl+S: a new version, the problems gone.
    await editor.fill(FIXED_GREETING);
    await page.keyboard.press("Control+s");
    await page.getByTestId("save-ok").waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("save-ok").textContent()).toContain("Built v2");
    expect(await problems.count()).toBe(0);
    expect(await marked.getByTestId("file-problems").count()).toBe(0);
    expect(await page.getByTestId("unsaved-marker").count()).toBe(0);
    const versions = (await (await page.request.get(`${kiln.url}/api/apps/${app.id}/versions`)).json()) as {
      versions: unknown[];
    };
    expect(versions.versions).toHaveLength(2);
    const source = (await (await page.request.get(`${kiln.url}/api/apps/${app.id}/source`)).json()) as {
      files: Record<string, string>;
    };
    expect(source.files).toEqual({ "src/index.ts": INDEX, "src/greeting.ts": FIXED_GREETING });
    await page.reload();
    await ready(page);
    expect(await page.getByTestId("last-build").textContent()).toContain("Last build passed and made v2");

    // 390 px: the tree sits above the editor and nothing overflows sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "code-02-390");
    expect(await fitsViewport(page)).toBe(true);

    // Tab indents by two spaces.
    const fixed = await codeMirror(page, "src/greeting.ts");
    await fixed.focus();
    await page.keyboard.press("Control+Home");
    await page.keyboard.press("Tab");
    expect(await savedField(page)).toBe(`  ${FIXED_GREETING}`);
    await context.close();
  });

  test("the editor: Kiln's completions and problems before saving, search, format on save in sight", async () => {
    const { kiln } = harness;
    const context = await harness.newContext({ width: 1280, height: 900 });
    const page = await context.newPage();
    const headers = { origin: kiln.url };
    const signup = await page.request.post(`${kiln.url}/api/auth/signup`, {
      data: { email: `editor-${Date.now()}@example.com`, password },
      headers,
    });
    expect(signup.status()).toBe(201);
    const created = await page.request.post(`${kiln.url}/api/apps`, { data: { name: "Editor" }, headers });
    const app = (await created.json()) as { id: string };
    const DB_APP = `import { Hono } from "hono";
import { type AppEnv, defineTables } from "kiln";

export const tables = defineTables({ notes: { text: "text" } });
const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();

app.get("/", async (c) => {
  const env = c.env;
  return c.text("notes");
});

export default app;
`;
    const upload = await page.request.put(`${kiln.url}/api/apps/${app.id}/source`, {
      data: { files: { "src/index.ts": DB_APP } },
      headers,
    });
    expect(upload.status()).toBe(200);
    await page.goto(`${kiln.url}/apps/${app.id}/code`);
    await ready(page);
    const editor = await codeMirror(page, "src/index.ts");

    // Typing env.DB. offers the app database's methods, from Kiln's declarations of kiln.
    await editor.locator(".cm-line", { hasText: "const env = c.env;" }).click({ position: { x: 8, y: 5 } });
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("env.DB.");
    const completions = page.locator(".cm-tooltip-autocomplete");
    await completions.locator(".cm-completionLabel", { hasText: /^insert$/ }).waitFor({ timeout: 15_000 });
    expect(await completions.getByRole("option").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^list/), expect.stringMatching(/^query/)]),
    );
    await page.keyboard.type("ins");
    await page.keyboard.press("Enter");
    expect(await savedField(page)).toContain("  env.DB.insert\n");
    await shot(page, "code-04-completions");

    // A connector the unsaved code imports (kiln/stripe) is completed from its real declarations.
    await page.keyboard.type('("notes", { text: "x" });\n');
    await page.keyboard.press("Control+Home");
    await page.keyboard.type('import { stripe } from "kiln/stripe";\n');
    await editor.locator(".cm-line", { hasText: "const env = c.env;" }).click({ position: { x: 8, y: 5 } });
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("await stripe.customers.");
    await completions.locator(".cm-completionLabel", { hasText: /^create$/ }).waitFor({ timeout: 15_000 });
    expect(await completions.getByRole("option").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^retrieve/), expect.stringMatching(/^list/)]),
    );
    await page.keyboard.press("Escape");
    await page.keyboard.type("list({ limit: 1 });");

    // A type error shows inline before anything is saved: underlined, marked in the gutter, explained on hover.
    await page.keyboard.press("Enter");
    await page.keyboard.type('const count: number = "three";');
    const marked = page.locator(".cm-lintRange-error", { hasText: "count" }).first();
    await marked.waitFor({ timeout: 15_000 });
    expect(await page.locator(".cm-gutter-lint .cm-lint-marker-error").count()).toBeGreaterThan(0);
    await marked.hover();
    const tooltip = page.locator(".cm-tooltip-lint, .cm-tooltip-hover").filter({ hasText: "is not assignable" });
    await tooltip.first().waitFor();
    expect(await tooltip.first().textContent()).toContain("Type 'string' is not assignable to type 'number'.");
    expect(await page.getByTestId("unsaved-marker").count()).toBe(1);
    await shot(page, "code-05-problem-before-saving");

    // Hover over a name gives its type.
    await editor
      .locator(".cm-line", { hasText: "const env = c.env;" })
      .getByText("env", { exact: true })
      .first()
      .hover();
    const hover = page.locator(".cm-kiln-hover");
    await hover.waitFor({ timeout: 15_000 });
    expect(await hover.textContent()).toContain("AppEnv<");

    // Ctrl+F opens CodeMirror's search (and replace) panel.
    await editor.click();
    await page.keyboard.press("Control+f");
    const panel = page.locator(".cm-panel.cm-search");
    await panel.waitFor();
    expect(await panel.locator("input[name=search]").evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await panel.locator("input[name=replace]").count()).toBe(1);
    await page.keyboard.press("Escape");
    expect(await panel.count()).toBe(0);

    // Save from deep in a long file: formatted, built, the cursor's line still in the window, the outcome in sight.
    const long = [
      'import { Hono } from "hono";',
      'import { defineTables } from "kiln";',
      'export const tables = defineTables({ notes: { text: "text" } });',
      "const app = new Hono();",
      'app.get("/", (c) => {',
      'return c.text("formatted on save");',
      "});",
      "export default app;",
      ...Array.from({ length: 200 }, (_, i) => `// line ${i + 9}`),
    ].join("\n");
    await editor.fill(long);
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+End");
    for (let i = 0; i < 60; i++) await page.keyboard.press("ArrowUp");
    expect(await cursorLine(page)).toBe(148);
    await page.keyboard.press("Control+s");
    const outcome = page.locator("[data-result]");
    await outcome.waitFor({ timeout: 60_000 });
    expect(await outcome.textContent()).toContain("Built v2");
    expect(await cursorLine(page)).toBe(148);
    expect(await inSight(page, ".cm-activeLineGutter")).toBe(true);
    expect(await inSight(page, "[data-testid=save-ok]")).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.classList.contains("cm-content"))).toBe(true);
    await shot(page, "code-06-saved-in-sight");
    const source = (await (await page.request.get(`${kiln.url}/api/apps/${app.id}/source`)).json()) as {
      files: Record<string, string>;
    };
    expect(source.files["src/index.ts"]).toContain('app.get("/", (c) => {\n  return c.text("formatted on save");\n});');
    expect(await savedField(page)).toBe(source.files["src/index.ts"]);
    await context.close();
  });

  test("saving works without JavaScript: a failed build lists its problems and keeps the typed text", async () => {
    const { kiln } = harness;
    const context = await harness.newContext({ width: 1280, height: 900, javaScriptEnabled: false });
    const page = await context.newPage();
    const codePath = `/apps/${appId}/code?file=${encodeURIComponent("src/greeting.ts")}`;
    await page.goto(`${kiln.url}/login?next=${encodeURIComponent(codePath)}`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    const editor = page.getByLabel("src/greeting.ts");
    await editor.waitFor();
    await editor.fill(BROKEN_GREETING);
    await page.getByRole("button", { name: "Save & build" }).click();
    await page.getByRole("list", { name: "Build problems" }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole("list", { name: "Build problems" }).textContent()).toMatch(/src\/greeting\.ts:2:\d+/);
    expect(await page.getByLabel("src/greeting.ts").inputValue()).toBe(BROKEN_GREETING);
    await shot(page, "code-03-no-js-problems");
    await context.close();
  });

  test("the browser console stayed clean (no CSP violations or script errors)", () => {
    expect(harness.consoleProblems).toEqual([]);
  });
});
