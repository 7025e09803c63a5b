// The Code tab end to end: file tree, editor, saving builds a version, and the
// last build's problems survive a reload — in a real browser against a real Kiln.
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
    expect(await page.getByLabel("src/index.ts").inputValue()).toBe(INDEX);
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
    const editor = page.getByLabel("src/greeting.ts");
    expect(await editor.inputValue()).toBe(GREETING);
    expect(await tree.getByRole("treeitem", { name: /greeting\.ts/ }).getAttribute("aria-selected")).toBe("true");

    // A new file's path is checked in words before anything is built.
    await page.getByLabel("New file").fill("../outside.ts");
    await page.getByRole("button", { name: "Add" }).click();
    expect(await page.getByRole("alert").filter({ hasText: "stays inside the app" }).count()).toBe(1);
    // Adding opens an empty, unsaved file; deleting it (after a confirmation) takes it out again.
    await page.getByLabel("New file").fill("src/extra.ts");
    await page.getByRole("button", { name: "Add" }).click();
    await page.getByLabel("src/extra.ts").waitFor();
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
    expect(await editor.inputValue()).toBe(BROKEN_GREETING);
    expect(await page.getByTestId("last-build").textContent()).toContain("Preview still serves v1");
    await shot(page, "code-01-problems-1280");

    // Reload: the last build's problems are still there (the unsaved text is not).
    await page.reload();
    await ready(page);
    await problems.waitFor();
    expect(await problems.textContent()).toMatch(/src\/greeting\.ts:2:\d+/);
    expect(await marked.getByTestId("file-problems").textContent()).toContain("1");

    // A problem opens its file at its line and column.
    await tree.getByRole("treeitem", { name: /index\.ts/ }).click();
    await page.getByLabel("src/index.ts").waitFor();
    await page.getByRole("link", { name: /^src\/greeting\.ts:2:\d+/ }).click();
    const caret = await editor.evaluate((el) => {
      const area = el as HTMLTextAreaElement;
      return {
        focused: document.activeElement === area,
        line: area.value.slice(0, area.selectionStart).split("\n").length,
      };
    });
    expect(caret).toEqual({ focused: true, line: 2 });

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

    // Tab indents by two spaces, and the line numbers follow the editor's scrolling.
    const fixed = page.getByLabel("src/greeting.ts");
    await fixed.focus();
    await page.keyboard.press("Control+Home");
    await page.keyboard.press("Tab");
    expect(await fixed.inputValue()).toBe(`  ${FIXED_GREETING}`);
    await fixed.fill(Array.from({ length: 200 }, (_, i) => `// line ${i + 1}`).join("\n"));
    const scrolled = await fixed.evaluate(async (el) => {
      el.scrollTop = 900;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const gutter = el.parentElement?.querySelector(".gutter");
      return { editor: el.scrollTop, gutter: gutter?.scrollTop ?? -1 };
    });
    expect(scrolled.editor).toBeGreaterThan(0);
    expect(scrolled.gutter).toBe(scrolled.editor);
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
