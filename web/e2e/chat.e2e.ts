// The workspace chat against a model, in a real browser: Kiln is started with
// the scripted model (worker/test/scripted-model: a loopback server speaking the
// OpenAI chat-completions wire format, replaying recorded answers), so the
// stream shows what a real model turn shows — the plan, the files, a type error
// sent back for repair, the repaired build, a clarifying question, and an edit
// whose new version reloads the preview.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ScriptedModel, startScriptedModel } from "../../worker/test/scripted-model/server";
import { fitsViewport, type KilnBrowser, ready, shot, signUp, startKilnBrowser } from "./harness";

let model: ScriptedModel;
let harness: KilnBrowser;

beforeAll(async () => {
  model = await startScriptedModel();
  harness = await startKilnBrowser("chat-kiln.log", { vars: model.vars });
});

afterAll(async () => {
  await harness?.stop();
  await model?.close();
});

async function send(page: Page, message: string): Promise<void> {
  await page.getByLabel("Message to Kiln").fill(message);
  await page.keyboard.press("Enter");
}

/** Signs a new person up and opens the workspace of a new empty app. */
async function emptyApp(page: Page, kilnUrl: string, who: string, name: string): Promise<void> {
  await signUp(page, kilnUrl, `${who}-${Date.now()}@example.com`);
  await ready(page);
  await page.getByText("Start from an empty app instead").click();
  await page.getByLabel("New app name").fill(name);
  await page.getByRole("button", { name: "Create app" }).click();
  await page.waitForURL(/\/apps\/app_[^/]+$/);
  await ready(page);
}

/** The text of the app inside the preview frame. */
async function previewText(page: Page): Promise<string> {
  return (await page.frameLocator('[data-testid="preview-frame"]').locator("body").textContent()) ?? "";
}

describe("the workspace chat with a model", () => {
  test("streams a repaired build, asks a question, and an edit reloads the preview", async () => {
    const { kiln } = harness;
    const context = await harness.newContext({ width: 1280, height: 900 });
    const page = await context.newPage();
    await emptyApp(page, kiln.url, "chat", "Team notes");
    // An empty app: the chat and the preview both say what to do first.
    expect(await page.getByText("Describe what Team notes should do.").isVisible()).toBe(true);
    expect(await page.getByText("Nothing to preview yet.").isVisible()).toBe(true);

    // First turn: the model's code does not type-check; the problem goes back to it and the repair builds.
    await send(page, "A notes app for the team [scenario:repair-once]");
    const turn = page.getByTestId("live-turn");
    await turn.getByText("v1 is ready").waitFor({ timeout: 60_000 });
    const text = (await turn.textContent()) ?? "";
    expect(text).toContain("A notes app with a greeting.");
    expect(text).toMatch(/src\/greeting\.ts:2:\d+/);
    expect(text).toContain("Fixing it (try 2 of 3)");
    expect(text).toContain("Fix the type of count.");
    expect(await page.getByRole("list", { name: "Build steps, try 2" }).textContent()).toMatch(/Smoke test: passed/);
    await expect.poll(() => previewText(page), { timeout: 20_000 }).toContain("Notes: 3");
    await shot(page, "chat-01-repaired");

    // A question instead of code: shown as a question, and the box asks for the answer.
    await send(page, "Now a booking page [scenario:question]");
    await page.getByTestId("turn-question").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("turn-question").textContent()).toContain("What will people book");
    expect(await page.getByLabel("Message to Kiln").getAttribute("placeholder")).toBe("Answer the question…");
    await shot(page, "chat-02-question");

    // An edit: a new version, and the preview frame reloads with it.
    await send(page, "Change the greeting [scenario:edit-greeting]");
    await page.getByTestId("live-turn").getByText("v2 is ready").waitFor({ timeout: 60_000 });
    await expect.poll(() => previewText(page), { timeout: 20_000 }).toContain("Welcome to your notes");
    await shot(page, "chat-03-edited");

    // Reloaded, the whole conversation is there: three turns with what each did.
    await page.reload();
    await ready(page);
    const turns = page.getByRole("article");
    expect(await turns.count()).toBe(3);
    expect(await turns.nth(0).textContent()).toContain("Created a notes app (fixed a type error).");
    expect(await turns.nth(1).textContent()).toContain("What will people book");
    expect(await turns.nth(2).textContent()).toContain("Changed the home page greeting.");

    // The last change is undone: the preview runs the version before it again.
    await page.getByRole("button", { name: "Undo this change" }).click();
    await expect.poll(() => previewText(page), { timeout: 20_000 }).toContain("Notes: 3");
    expect(await page.getByRole("button", { name: "Undo this change" }).count()).toBe(0);

    const small = await harness.newContext({ width: 390, height: 844 });
    await small.addCookies(await context.cookies());
    const phone = await small.newPage();
    await phone.goto(page.url());
    await ready(phone);
    expect(await fitsViewport(phone)).toBe(true);
    await shot(phone, "chat-04-390");
    await small.close();
    await context.close();
  });

  test("a turn outlives its tab: closed mid-turn and reopened, it is followed to its end; Cancel stops the next", async () => {
    const { kiln } = harness;
    const context = await harness.newContext({ width: 1280, height: 900 });
    const page = await context.newPage();
    await emptyApp(page, kiln.url, "durable", "Slow notes");
    const workspace = page.url();

    // The model takes a while; the tab is closed while it thinks.
    await send(page, "A notes app [scenario:first-time] [delay:6000] [pace:400]");
    await page.getByTestId("turn-elapsed").waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "Cancel" }).waitFor({ timeout: 20_000 });
    await page.close();

    // A new tab on the workspace picks the running turn up and shows it to its end, the answer growing as written.
    const again = await context.newPage();
    await again.goto(workspace);
    await ready(again);
    const writing = again.getByTestId("turn-writing");
    await writing.waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await writing.textContent()) ?? "", { timeout: 20_000 }).toContain("src/");
    await shot(again, "chat-05-writing");
    await again.getByTestId("live-turn").getByText("v1 is ready").waitFor({ timeout: 90_000 });
    await expect.poll(() => previewText(again), { timeout: 20_000 }).toContain("Notes");
    await shot(again, "chat-06-followed-after-reopen");

    // The next turn is cancelled while the model thinks: the chat says so and the preview keeps v1.
    await send(again, "Now rewrite everything [scenario:first-time] [delay:60000]");
    await again.getByRole("button", { name: "Cancel" }).click();
    await again.getByTestId("turn-cancelled").waitFor({ timeout: 30_000 });
    await shot(again, "chat-07-cancelled");
    await again.reload();
    await ready(again);
    const turns = again.getByRole("article");
    expect(await turns.count()).toBe(2);
    expect(await turns.nth(1).textContent()).toContain("Cancelled. Nothing more was deployed.");
    await context.close();
  });

  test("the browser console stayed clean", () => {
    expect(harness.consoleProblems).toEqual([]);
  });
});
