// Passkeys for visitors, in a real Chromium with a virtual platform authenticator (the DevTools WebAuthn domain):
// a visitor who signed in once with an emailed code adds a passkey on the app's passkeys page, signs out, and
// signs in again with the passkey alone — the browser's own WebAuthn against Kiln's checks, on the app's host.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type KilnBrowser, publishApp, shot, signUp, startKilnBrowser } from "./harness";

const SOURCE = `import { Hono } from "hono";
import { visitor } from "kiln";
const app = new Hono();
app.get("/", (c) => c.html("<h1>Club</h1><p id=who>" + (visitor(c)?.email ?? "nobody") + "</p>"));
export default app;
`;

let harness: KilnBrowser;

beforeAll(async () => {
  harness = await startKilnBrowser("passkeys-kiln.log");
});

afterAll(async () => {
  await harness?.stop();
});

describe("visitors' passkeys", () => {
  test("sign in once with a code, add a passkey, sign out, sign in with the passkey alone", async () => {
    const { kiln } = harness;
    const ownerContext = await harness.newContext({ width: 1200, height: 800 });
    const owner = await ownerContext.newPage();
    await signUp(owner, kiln.url, `passkeys-${Date.now()}@example.com`);
    const app = await publishApp(owner, kiln.url, "Club", SOURCE);
    const rule = await owner.request.put(`${kiln.url}/api/apps/${app.id}/access/live`, {
      data: { rule: "signed_in" },
      headers: { origin: kiln.url },
    });
    expect(rule.status()).toBe(200);

    const visitorContext = await harness.newContext({ width: 800, height: 800 });
    const visitor = await visitorContext.newPage();
    const devtools = await visitorContext.newCDPSession(visitor);
    await devtools.send("WebAuthn.enable");
    const { authenticatorId } = await devtools.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    // Once with a code from the local outbox.
    await visitor.goto(app.liveUrl);
    await visitor.getByLabel("Your email").fill("dana@example.com");
    await visitor.getByRole("button", { name: "Email me a code" }).click();
    await visitor.getByText("a 6-digit code is on its way").waitFor();
    const outbox = (await (await owner.request.get(`${kiln.url}/api/apps/${app.id}/outbox`)).json()) as {
      mails: { to: string; subject: string }[];
    };
    const code = /(\d{6})$/.exec(outbox.mails.find((m) => m.to === "dana@example.com")!.subject)![1]!;
    await visitor.getByLabel("The 6-digit code").fill(code);
    await visitor.getByRole("button", { name: "Sign in" }).click();
    await visitor.waitForURL(app.liveUrl);
    expect(await visitor.textContent("#who")).toBe("dana@example.com");

    // A passkey for this app's host.
    await visitor.goto(`${app.liveUrl}_kiln/passkeys`);
    await visitor.getByRole("button", { name: "Add a passkey" }).click();
    await visitor.getByTestId("passkeys").waitFor({ timeout: 15_000 });
    expect(await visitor.getByTestId("passkeys").locator("li").count()).toBe(1);
    const { credentials } = await devtools.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.rpId).toBe(new URL(app.liveUrl).hostname);
    await shot(visitor, "passkeys-01-added");

    // Signed out, then in again with the passkey only: no email, no code.
    await visitor.goto(`${app.liveUrl}_kiln/sign-out`);
    await visitor.getByRole("button", { name: /Sign out/ }).click();
    await visitor.goto(app.liveUrl);
    expect(new URL(visitor.url()).pathname).toBe("/_kiln/sign-in");
    await visitor.getByRole("button", { name: "Sign in with a passkey" }).click();
    await visitor.waitForURL(app.liveUrl);
    expect(await visitor.textContent("#who")).toBe("dana@example.com");
    await shot(visitor, "passkeys-02-signed-in");

    await Promise.all([ownerContext.close(), visitorContext.close()]);
    expect(harness.consoleProblems).toEqual([]);
  });
});
