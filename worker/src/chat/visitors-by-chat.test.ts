// Requests about who may use an app, answered by a real model (its recorded answers: worker/test/scripted-model/
// recorded) from Kiln's own context: the apps it builds protect what the person said, and what they did not say.
import { describe, expect, it } from "vitest";
import { type TestUser, newUser, ownerCookie } from "../../test/api-client";
import { type StreamedEvent, streamedCall } from "../../test/scripted-model/client";
import { form, hit, signInWithCode } from "../../test/visitor-client";

const first = (events: StreamedEvent[], name: string) => events.find((e) => e.event === name)?.data;

/** Builds an app from one message and publishes the version the turn deployed. */
async function builtAndPublished(user: TestUser, prompt: string) {
  const turn = await streamedCall(user, "/api/apps", { prompt });
  expect(turn.status).toBe(200);
  const { app } = first(turn.events, "app") as { app: { id: string } };
  const preview = first(turn.events, "preview") as { version: string } | undefined;
  expect(preview, turn.text.slice(-1500)).toBeDefined();
  expect((await user.call("POST", `/api/apps/${app.id}/publish`, { version: preview!.version })).status).toBe(200);
  const record = (await user.call("GET", `/api/apps/${app.id}`)).body as { id: string; liveUrl: string };
  return record;
}

/** Signs `email` in on the live app through the local outbox; answers the session cookie. */
async function signIn(user: TestUser, app: { id: string; liveUrl: string }, email: string): Promise<string> {
  const done = await signInWithCode(user, app.id, app.liveUrl, email);
  expect(done.status).toBe(303);
  return done.headers.get("set-cookie")!.split(";")[0]!;
}

describe("who may use an app built by chat", () => {
  it("an invite-only request builds an app that asks for it: strangers are kept out, invitees sign in, roles count", async () => {
    const user = await newUser();
    const app = await builtAndPublished(
      user,
      "A members directory for my book club: only people I invite can see it. Each member has a name, a favourite book and a short bio; admins can add and remove members. [scenario:invite-only-club]",
    );
    const access = (await user.call("GET", `/api/apps/${app.id}/access`)).body;
    expect(access).toMatchObject({ live: { rule: "invited", setBy: "app" }, roles: ["admin", "member"] });
    expect((await hit(app.liveUrl, { headers: { accept: "text/html" } })).status).toBe(303);
    expect((await hit(`${app.liveUrl}api/members`)).status).toBe(401);

    // A stranger gets no code; an invited member signs in and reads, but only an admin adds.
    await form(`${app.liveUrl}_kiln/sign-in`, { email: "stranger@example.com", next: "/" });
    const mails = (await user.call("GET", `/api/apps/${app.id}/outbox`)).body.mails as { to: string }[];
    expect(mails.map((m) => m.to)).not.toContain("stranger@example.com");
    await user.call("POST", `/api/apps/${app.id}/visitors`, { email: "ann@example.com", roles: ["member"] });
    await user.call("POST", `/api/apps/${app.id}/visitors`, { email: "bea@example.com", roles: ["admin"] });
    const ann = await signIn(user, app, "ann@example.com");
    const bea = await signIn(user, app, "bea@example.com");
    const add = (cookie: string) =>
      hit(`${app.liveUrl}api/members`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json" },
        body: JSON.stringify({ name: "Cleo", favourite_book: "Beloved", bio: "Reads on trains." }),
      });
    expect((await add(ann)).status).toBe(403);
    expect((await add(bea)).status).toBe(201);
    const page = await hit(app.liveUrl, { headers: { cookie: ann } });
    expect(page.status).toBe(200);
    expect(page.text).toContain("Beloved");
  });

  it("a sign-up form keeps the list of who signed up to its owner, though the person never said so", async () => {
    const user = await newUser();
    const app = await builtAndPublished(
      user,
      "A sign-up form for my Saturday pottery workshop (name, email, phone), and a page where I see everyone who signed up. [scenario:workshop-signups]",
    );
    const signedUp = await form(`${app.liveUrl}signup`, {
      name: "Dee",
      email: "dee@example.com",
      phone: "+44 7700 900123",
    });
    expect(signedUp.status).toBe(303);
    // Anyone may sign up; nobody but the owner sees who did, as a page, a CSV or JSON.
    for (const path of ["admin", "admin/signups.csv", "api/signups"]) {
      const anonymous = await hit(`${app.liveUrl}${path}`);
      expect(anonymous.status, path).toBe(401);
      expect(anonymous.text).not.toContain("dee@example.com");
    }
    const cookie = await ownerCookie(user, app.id, app.liveUrl);
    const list = await hit(`${app.liveUrl}admin`, { headers: { cookie } });
    expect(list.status).toBe(200);
    expect(list.text).toContain("dee@example.com");
  });
});
