// Who may use a published app, end to end in a real browser against a local Kiln: the owner makes the live app
// invite-only in the Access tab and invites an email; a visitor who is not invited asks for a code and none is
// sent; the invited one gets a code through the local outbox, signs in on the app's host and sees the page; a
// script without a session gets a 401, never the data; the preview is the owner's by default, shown signed in
// inside the workspace's frame (a partitioned cookie) and opened with one click.
import http from "node:http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type KilnBrowser, publishApp, ready, shot, signUp, startKilnBrowser } from "./harness";

const SOURCE = `import { Hono } from "hono";
import { type Roles, visitor } from "kiln";
export const roles: Roles = ["member", "admin"];
const app = new Hono();
app.get("/", (c) => c.html("<h1>Members page</h1><p id=who>" + (visitor(c)?.email ?? "nobody") + " " + (visitor(c)?.roles.join(",") ?? "") + "</p>"));
app.get("/data", (c) => c.json({ secret: "member list" }));
export default app;
`;

let harness: KilnBrowser;

beforeAll(async () => {
  harness = await startKilnBrowser("access-kiln.log");
});

afterAll(async () => {
  await harness?.stop();
});

/** A request with no cookie, as a script would send it (to 127.0.0.1: Node does not resolve *.localhost). */
function anonymousGet(url: URL): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: "127.0.0.1", port: url.port, path: url.pathname, headers: { host: url.host, accept: "*/*" } },
      (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on("error", reject);
  });
}

/** The code in the newest outbox mail to `email`, as the owner's Access tab lists it (null: none). */
async function codeInOutbox(owner: Page, email: string): Promise<string | null> {
  await owner.reload();
  await ready(owner);
  const lines = await owner
    .getByTestId("outbox")
    .locator("li")
    .allTextContents()
    .catch(() => []);
  const line = lines.find((text) => text.includes(email));
  return line ? (/(\d{6})/.exec(line)?.[1] ?? null) : null;
}

describe("Access tab and visitor sign-in", () => {
  test("invite-only live app: a stranger gets no code, an invited visitor signs in through the outbox", async () => {
    const { kiln } = harness;
    const ownerContext = await harness.newContext({ width: 1280, height: 900 });
    const owner = await ownerContext.newPage();
    await signUp(owner, kiln.url, `access-${Date.now()}@example.com`);
    const app = await publishApp(owner, kiln.url, "Members", SOURCE);

    await owner.goto(`${kiln.url}/apps/${app.id}/access`);
    await ready(owner);
    const live = owner.getByTestId("access-live");
    await live.getByLabel("Only people I invite").check();
    await live.getByRole("button", { name: "Save" }).click();
    await expect
      .poll(async () =>
        live
          .getByRole("status")
          .textContent()
          .catch(() => null),
      )
      .toBe("Saved.");
    await owner.getByLabel("Email to invite").fill("ann@example.com");
    // The roles offered are the ones the app's code declares.
    const invite = owner.locator("form.invite").first();
    expect(await invite.locator("label.role").allTextContents()).toEqual([" member", " admin"]);
    await invite.getByLabel("member", { exact: true }).check();
    await owner.getByRole("button", { name: "Invite" }).click();
    await expect
      .poll(async () => (await owner.locator(".visitors li").allTextContents()).join(" "))
      .toContain("ann@example.com");
    await shot(owner, "access-01-tab");

    // A visitor: sent to Kiln's sign-in page on the app's own host.
    const visitorContext = await harness.newContext({ width: 800, height: 800 });
    const visitor = await visitorContext.newPage();
    await visitor.goto(app.liveUrl);
    expect(new URL(visitor.url()).pathname).toBe("/_kiln/sign-in");
    await visitor.getByLabel("Your email").fill("stranger@example.com");
    await visitor.getByRole("button", { name: "Email me a code" }).click();
    await visitor.getByText("If stranger@example.com may use Members").waitFor();
    expect(await codeInOutbox(owner, "stranger@example.com")).toBeNull();

    await visitor.getByRole("link", { name: "Use another email" }).click();
    await visitor.getByLabel("Your email").fill("ann@example.com");
    await visitor.getByRole("button", { name: "Email me a code" }).click();
    await visitor.getByText("If ann@example.com may use Members").waitFor();
    const code = await codeInOutbox(owner, "ann@example.com");
    expect(code).toMatch(/^\d{6}$/);
    await visitor.getByLabel("The 6-digit code").fill(code!);
    await visitor.getByRole("button", { name: "Sign in" }).click();
    await visitor.waitForURL(app.liveUrl);
    expect(await visitor.textContent("#who")).toBe("ann@example.com member");
    await shot(visitor, "access-02-signed-in");

    // A script with no session never gets the data.
    const anonymous = await anonymousGet(new URL(`${app.liveUrl}data`));
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).not.toContain("member list");
    // The signed-in visitor's browser does.
    expect(await visitor.evaluate(async () => (await fetch("/data")).json())).toEqual({ secret: "member list" });

    // The preview is the owner's by default: nobody else gets it, and one click opens it signed in.
    expect(await owner.getByTestId("access-preview").getByLabel("Only me").isChecked()).toBe(true);
    expect((await anonymousGet(new URL(app.previewUrl))).status).toBe(401);
    const [opened] = await Promise.all([
      ownerContext.waitForEvent("page"),
      owner.getByRole("link", { name: "Open the preview as its owner" }).click(),
    ]);
    await opened.waitForURL(app.previewUrl);
    expect(await opened.textContent("#who")).toContain("owner");

    // The workspace's preview frame is cross-site: it signs the owner in with its own partitioned cookie.
    await owner.goto(`${kiln.url}/apps/${app.id}`);
    await ready(owner);
    const frame = owner.frameLocator('[data-testid="preview-frame"]');
    await expect
      .poll(
        () =>
          frame
            .locator("#who")
            .textContent()
            .catch(() => null),
        { timeout: 20_000 },
      )
      .toContain("owner");
    await shot(owner, "access-03-owner-preview");
    await Promise.all([ownerContext.close(), visitorContext.close()]);
    expect(harness.consoleProblems).toEqual([]);
  });
});
