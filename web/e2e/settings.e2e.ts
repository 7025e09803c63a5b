// The Settings tab in a real browser: rename an app (its address stays), keep a credential out of its config with
// the reason in words, duplicate it into a working copy, and delete the copy only when its name is typed.
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fitsViewport, type KilnBrowser, ready, shot, startKilnBrowser } from "./harness";

let harness: KilnBrowser;

beforeAll(async () => {
  harness = await startKilnBrowser("settings-kiln.log");
});

afterAll(async () => {
  await harness?.stop();
});

const HELLO = {
  "src/index.ts": `export default { fetch: (_request: Request, env: { CONFIG: Record<string, string> }) =>
  new Response("Hello from " + (env.CONFIG.SHOP ?? "nowhere")) };
`,
};

/** Signs up through the API (the cookie lands in `context`) and uploads an app; answers its id. */
async function appWithCode(context: BrowserContext, name: string): Promise<string> {
  const { url } = harness.kiln;
  const signup = await context.request.post(`${url}/api/auth/signup`, {
    data: { email: `settings-${Date.now()}@example.com`, password: "correct horse battery" },
  });
  expect(signup.status()).toBe(201);
  const app = await context.request.post(`${url}/api/apps`, { data: { name } });
  const { id } = (await app.json()) as { id: string };
  const upload = await context.request.put(`${url}/api/apps/${id}/source`, { data: { files: HELLO } });
  expect(upload.status(), await upload.text()).toBe(200);
  return id;
}

describe("the Settings tab", () => {
  test("rename, config without secrets, duplicate, and delete only with the name typed", async () => {
    const { kiln } = harness;
    const context = await harness.newContext({ width: 1280, height: 900 });
    const id = await appWithCode(context, "A shop for my sister with");
    const page = await context.newPage();
    await page.goto(`${kiln.url}/apps/${id}/settings`);
    await ready(page);

    // A prompt-cut name becomes a real one; the header says so after the save.
    await page.getByLabel("App name").fill("Rosa's shop");
    await page.getByRole("button", { name: "Rename" }).click();
    await page.getByText("Renamed.").waitFor();
    await expect
      .poll(async () => (await page.getByRole("heading", { level: 1 }).textContent())?.trim())
      .toBe("Rosa's shop");

    // A config value is saved; a secret key is refused with the reason, and nothing of that save is kept.
    await page.getByLabel("Name 1").fill("SHOP");
    await page.getByLabel("Value 1").fill("Rosa's");
    await page.getByRole("button", { name: "Save config" }).click();
    await page.getByText("Saved.").waitFor();
    await page.getByLabel("Name 2").fill("STRIPE_KEY");
    await page.getByLabel("Value 2").fill("sk_live_51Habcdefghijklmnop");
    await page.getByRole("button", { name: "Save config" }).click();
    const refusal = page.getByRole("alert");
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain("Connections");
    const config = await context.request.get(`${kiln.url}/api/apps/${id}/config`);
    expect(((await config.json()) as { values: Record<string, string> }).values).toEqual({ SHOP: "Rosa's" });
    await shot(page, "settings-01");
    expect(await fitsViewport(page)).toBe(true);

    // A copy opens in its own workspace, with the same code and config.
    await page.reload();
    await ready(page);
    await page.getByRole("button", { name: "Duplicate" }).click();
    await page.waitForURL((url) => /\/apps\/app_[^/]+$/.test(url.pathname) && !url.pathname.includes(id));
    await ready(page);
    expect((await page.getByRole("heading", { level: 1 }).textContent())?.trim()).toBe("Rosa's shop (copy)");
    const copyId = page.url().split("/").at(-1)!;
    const copyConfig = await context.request.get(`${kiln.url}/api/apps/${copyId}/config`);
    expect(((await copyConfig.json()) as { values: Record<string, string> }).values).toEqual({ SHOP: "Rosa's" });

    // Deleting the copy asks for its name; a near miss deletes nothing.
    await page.goto(`${kiln.url}/apps/${copyId}/settings`);
    await ready(page);
    await page.getByLabel(/to confirm/).fill("Rosa's shop");
    await page.getByRole("button", { name: "Delete app" }).click();
    await page.getByText("exactly to delete it").waitFor();
    expect((await context.request.get(`${kiln.url}/api/apps/${copyId}`)).status()).toBe(200);
    await page.getByLabel(/to confirm/).fill("Rosa's shop (copy)");
    await page.getByRole("button", { name: "Delete app" }).click();
    await page.waitForURL(/\/apps$/);
    expect((await context.request.get(`${kiln.url}/api/apps/${copyId}`)).status()).toBe(404);
    expect((await context.request.get(`${kiln.url}/api/apps/${id}`)).status()).toBe(200);
    await context.close();
  });

  test("the browser console stayed clean", () => {
    expect(harness.consoleProblems).toEqual([]);
  });
});
