// The Versions tab end to end in a real browser, against a local Kiln in demo
// mode: three versions uploaded through the API (v2 starts using Stripe), then
// in the browser: compare two versions at a shareable URL, read the hosts a
// version will be able to call before publishing it, publish, roll back.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { confirmRelease, fitsViewport, type KilnBrowser, ready, shot, startKilnBrowser } from "./harness";

const PRICES = `${Array.from({ length: 30 }, (_, i) => `export const price${i} = ${i * 100};`).join("\n")}\n`;

const V1 = {
  "src/index.ts": `import { Hono } from "hono";
import { price1 } from "./prices";

const app = new Hono();

app.get("/", (c) => c.text("Hello"));
app.get("/price", (c) => c.json({ price: price1 }));

export default app;
`,
  "src/prices.ts": PRICES,
};

/** Starts using Stripe, changes the greeting and one price, adds a README. */
const V2 = {
  "src/index.ts": `import { Hono } from "hono";
import { stripe } from "kiln/stripe";
import { price1 } from "./prices";

const app = new Hono();

app.get("/", (c) => c.text("Welcome to the shop"));
app.get("/price", (c) => c.json({ price: price1 }));
app.get("/customers", async (c) => c.json(await stripe.customers.list({ limit: 5 })));

export default app;
`,
  "src/prices.ts": PRICES.replace("price15 = 1500", "price15 = 1599"),
  "README.md": "# Shop\n",
};

/** Same services as v2; only the README changes. */
const V3 = { ...V2, "README.md": "# Shop\n\nSells things.\n" };

let harness: KilnBrowser;

beforeAll(async () => {
  harness = await startKilnBrowser("versions-kiln.log");
});

afterAll(async () => {
  await harness?.stop();
});

/** Signs up through the API (the cookie lands in `context`), uploads the three versions and publishes v1. */
async function appWithThreeVersions(context: BrowserContext): Promise<string> {
  const { url } = harness.kiln;
  const signup = await context.request.post(`${url}/api/auth/signup`, {
    data: { email: `versions-${Date.now()}@example.com`, password: "correct horse battery" },
  });
  expect(signup.status()).toBe(201);
  const app = await context.request.post(`${url}/api/apps`, { data: { name: "Shop" } });
  expect(app.status()).toBe(201);
  const { id } = (await app.json()) as { id: string };
  const uploaded: string[] = [];
  for (const files of [V1, V2, V3]) {
    const upload = await context.request.put(`${url}/api/apps/${id}/source`, { data: { files } });
    expect(upload.status(), await upload.text()).toBe(200);
    uploaded.push(((await upload.json()) as { version: string }).version);
  }
  // v1 has been live, so it can be rolled back to later.
  expect(
    (await context.request.post(`${url}/api/apps/${id}/publish`, { data: { version: uploaded[0] } })).status(),
  ).toBe(200);
  return id;
}

const text = async (page: Page, testId: string) =>
  ((await page.getByTestId(testId).first().textContent()) ?? "").replace(/\s+/g, " ").trim();

/** The text of the diff lines of one file with `op` ("add" or "del"). */
async function diffLines(page: Page, path: string, op: "add" | "del"): Promise<string[]> {
  const rows = page.locator(
    `[data-testid="file-diff"][data-path="${path}"] [data-testid="diff-line"][data-op="${op}"] td.text`,
  );
  return (await rows.allTextContents()).map((t) => t.trim());
}

describe("Versions tab", () => {
  test("compare two versions, see what a version may call before publishing, publish and roll back", async () => {
    const { kiln } = harness;
    const context = await harness.newContext({ width: 1280, height: 1000 });
    const page = await context.newPage();
    const appId = await appWithThreeVersions(context);
    const versionsUrl = `${kiln.url}/apps/${appId}/versions`;

    await page.goto(versionsUrl);
    await ready(page);
    // Each version: its number, a summary (none from chat here), and the services it uses.
    for (const n of [1, 2, 3]) await page.getByTestId(`version-v${n}`).waitFor();
    expect(await page.getByTestId("version-v1").getByTestId("version-summary").textContent()).toContain(
      "Edited by hand",
    );
    expect(await page.getByTestId("version-v2").getByTestId("uses").textContent()).toBe("Uses: Stripe");
    expect(await page.getByTestId("version-v1").getByTestId("uses").count()).toBe(0);

    // By default the newest version is compared with the one before it: only the README changed.
    expect(await text(page, "diff-totals")).toContain("v2 → v3: 1 file changed, 2 unchanged.");
    expect(await diffLines(page, "README.md", "add")).toEqual(["", "Sells things."]);

    // Pick v1 → v2: the page moves to a shareable URL and shows the added, removed and changed files.
    await page.getByRole("combobox", { name: /^From/ }).selectOption("1");
    await page.waitForURL((u) => u.searchParams.get("from") === "1" && u.searchParams.get("to") === "3");
    await page.getByRole("combobox", { name: /^To/ }).selectOption("2");
    await page.waitForURL((u) => u.searchParams.get("from") === "1" && u.searchParams.get("to") === "2");
    const shareable = page.url();
    await page.goto(shareable);
    await ready(page);
    expect(await text(page, "diff-totals")).toBe("v1 → v2: 2 files changed, 1 file added. +5 −2");
    expect(await diffLines(page, "src/index.ts", "add")).toEqual([
      'import { stripe } from "kiln/stripe";',
      'app.get("/", (c) => c.text("Welcome to the shop"));',
      'app.get("/customers", async (c) => c.json(await stripe.customers.list({ limit: 5 })));',
    ]);
    expect(await diffLines(page, "src/index.ts", "del")).toEqual(['app.get("/", (c) => c.text("Hello"));']);
    // Both sides' line numbers: the removed greeting was line 6 of v1, its replacement is line 7 of v2.
    const removed = page.locator('[data-path="src/index.ts"] [data-op="del"] td.num');
    expect(await removed.allTextContents()).toEqual(["6", ""]);
    const replaced = page.locator('[data-path="src/index.ts"] [data-op="add"]').nth(1).locator("td.num");
    expect(await replaced.allTextContents()).toEqual(["", "7"]);
    expect(await page.locator('[data-path="README.md"]').textContent()).toContain("Added");

    // In a long file only the change and its context show; the rest unfolds on request.
    const prices = page.locator('[data-path="src/prices.ts"]');
    expect(await diffLines(page, "src/prices.ts", "del")).toEqual(["export const price15 = 1500;"]);
    expect(await prices.getByTestId("diff-line").count()).toBe(8);
    await prices.getByRole("button", { name: /^Show 12 more lines/ }).click();
    expect(await prices.getByTestId("diff-line").count()).toBe(20);

    // Before publishing: the exact hosts v2 will be able to call, and that Stripe is not connected yet.
    const v2 = page.getByTestId("version-v2");
    expect((await v2.getByTestId("permissions").textContent())?.replace(/\s+/g, " ")).toContain(
      "v2 will be able to call: api.stripe.com (Stripe)",
    );
    expect(await v2.getByTestId("not-connected").textContent()).toContain("Stripe is not connected");
    expect(await v2.getByRole("link", { name: "connect Stripe" }).getAttribute("href")).toBe("/connections");
    expect(await page.getByTestId("version-v1").getByTestId("permissions").textContent()).toContain(
      "v1 can call no outside service.",
    );
    expect(await page.getByTestId("version-v1").getByText("Live", { exact: true }).count()).toBe(1);
    await shot(page, "versions-01-compare-1280");

    // Connecting Stripe (the demo) clears the warning.
    expect((await context.request.put(`${kiln.url}/api/connections/stripe`, { data: { demo: true } })).status()).toBe(
      201,
    );
    await page.reload();
    await ready(page);
    expect(await v2.getByTestId("not-connected").count()).toBe(0);

    // Publish v2: the Live badge moves to it and the outcome says what it uses and may call.
    // Publishing shows what changes first (the code against live v1, the new host) and asks once.
    await page.getByRole("link", { name: "Publish v2…" }).click();
    const review = page.getByTestId("publish-review");
    await review.waitFor();
    expect(await text(page, "review-code")).toMatch(/^3 files changed \(\+\d+ −\d+\)/);
    expect(await text(page, "review-hosts")).toBe("It may now call api.stripe.com.");
    expect(await text(page, "review-schema")).toBe("The live tables stay as they are.");
    await shot(page, "versions-02a-review-1280");
    await review.getByRole("button", { name: "Publish v2" }).click();
    await v2.getByText("Live", { exact: true }).waitFor();
    expect(await review.count()).toBe(0);
    expect(await text(page, "release-outcome")).toContain("v2 is now live.");
    expect(await text(page, "release-uses")).toBe("It uses Stripe.");
    expect(await text(page, "release-hosts")).toBe("It can call api.stripe.com.");
    expect((await v2.getByTestId("permissions").textContent())?.replace(/\s+/g, " ")).toContain(
      "v2 can call: api.stripe.com (Stripe)",
    );
    // The comparison survives the publish (the URL still names it).
    expect(new URL(page.url()).searchParams.get("from")).toBe("1");
    await shot(page, "versions-02-published-1280");

    // Roll back to v1: live again, and it calls nothing outside Kiln.
    await confirmRelease(page, "Roll back to v1");
    await page.getByTestId("version-v1").getByText("Live", { exact: true }).waitFor();
    expect(await v2.getByText("Live", { exact: true }).count()).toBe(0);
    expect(await text(page, "release-outcome")).toContain("Rolled back: v1 is live again.");
    expect(await text(page, "release-hosts")).toBe("It can call no outside service.");

    // v2 becomes the preview again (v3 was): built and checked again, and the badge moves.
    await page.getByRole("button", { name: "Restore to preview (v2)" }).click();
    await page.getByTestId("restore-outcome").waitFor();
    expect(await text(page, "restore-outcome")).toBe("v2 is the preview again.");
    expect(await v2.getByText("Preview", { exact: true }).count()).toBe(1);
    expect(await page.getByTestId("version-v3").getByText("Preview", { exact: true }).count()).toBe(0);

    // "Changes in v3" compares it with the one before it; the shortcut compares it with what is live (v1 now).
    await page.getByTestId("version-v3").getByRole("link", { name: "Changes in v3" }).click();
    await page.waitForURL((u) => u.searchParams.get("to") === "3" && !u.searchParams.has("from"));
    expect(await text(page, "diff-totals")).toContain("v2 → v3");
    await page.getByRole("link", { name: "Compare v3 with live (v1)" }).click();
    await page.waitForURL((u) => u.searchParams.get("from") === "1" && u.searchParams.get("to") === "3");
    expect(await text(page, "diff-totals")).toContain("v1 → v3: 2 files changed, 1 file added.");

    // A link to a version that does not exist says so.
    await page.goto(`${versionsUrl}?from=1&to=9`);
    await ready(page);
    expect(await page.getByTestId("compare").getByRole("alert").textContent()).toContain(
      "This app has no v9; its versions go from v1 to v3.",
    );
    const cookies = await context.cookies();
    await context.close();

    // On a phone: the same comparison fits the screen (long lines scroll inside their own box).
    const phone = await harness.newContext({ width: 390, height: 844 });
    await phone.addCookies(cookies);
    const small = await phone.newPage();
    await small.goto(shareable);
    await ready(small);
    expect(await text(small, "diff-totals")).toBe("v1 → v2: 2 files changed, 1 file added. +5 −2");
    await small.getByTestId("version-v2").getByTestId("permissions").waitFor();
    expect(await fitsViewport(small)).toBe(true);
    await shot(small, "versions-03-compare-390");
    await phone.close();

    // Without JavaScript: picking versions is a plain GET form, and publishing keeps the comparison in view.
    const plain = await harness.newContext({ width: 1280, height: 1000, javaScriptEnabled: false });
    await plain.addCookies(cookies);
    const noScript = await plain.newPage();
    await noScript.goto(`${versionsUrl}?from=1&to=2`);
    await noScript.getByRole("combobox", { name: /^To/ }).selectOption("3");
    await noScript.getByRole("button", { name: "Compare" }).click();
    await noScript.waitForURL((u) => u.searchParams.get("from") === "1" && u.searchParams.get("to") === "3");
    await noScript.getByRole("link", { name: "Publish v3…" }).click();
    await noScript.getByTestId("publish-review").getByRole("button", { name: "Publish v3" }).click();
    await noScript.getByTestId("version-v3").getByText("Live", { exact: true }).waitFor();
    expect(await text(noScript, "release-hosts")).toBe("It can call api.stripe.com.");
    expect(await text(noScript, "diff-totals")).toContain("v1 → v3");
    await plain.close();
    expect(harness.consoleProblems).toEqual([]);
  });
});
