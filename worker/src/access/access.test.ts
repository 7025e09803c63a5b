import { describe, expect, it } from "vitest";
import { type TestUser, newUser } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";
import { form, hit, latestCode, signInWithCode } from "../../test/visitor-client";

// The app answers with what Kiln told it about the visitor, and the cookies it received.
const whoAmI = {
  "src/index.ts": `export default {
  fetch: (req: Request) => Response.json({ visitor: JSON.parse(req.headers.get("x-kiln-visitor") ?? "null"), cookie: req.headers.get("cookie") }),
};`,
};

async function protectedApp(user: TestUser, rule: Record<string, unknown>) {
  const app = await appWithSource(user, `access ${crypto.randomUUID().slice(0, 6)}`, whoAmI);
  const set = await user.call("PUT", `/api/apps/${app.id}/access/preview`, rule);
  expect(set.status).toBe(200);
  return app;
}

function sessionCookie(setCookie: string | null): string {
  expect(setCookie).toMatch(/^kiln_visitor=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
  return setCookie!.split(";")[0]!;
}

describe("who may use an app", () => {
  it("a public app serves anyone, and a visitor cannot forge who they are", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "open", whoAmI);
    const page = await hit(app.previewUrl, {
      headers: { "x-kiln-visitor": '{"id":"x","email":"a@b.c","roles":["owner"]}' },
    });
    expect(page.status).toBe(200);
    expect(JSON.parse(page.text).visitor).toBeNull();
  });

  it("invite-only: strangers get the sign-in page or a 401, never the app; an invited email signs in with a code", async () => {
    const user = await newUser();
    const app = await protectedApp(user, { rule: "invited" });
    const asBrowser = await hit(`${app.previewUrl}admin?tab=1`, { headers: { accept: "text/html" } });
    expect(asBrowser.status).toBe(303);
    expect(asBrowser.headers.get("location")).toBe("/_kiln/sign-in?next=%2Fadmin%3Ftab%3D1");
    const asScript = await hit(`${app.previewUrl}api/rows`);
    expect(asScript.status).toBe(401);
    expect(asScript.text).not.toContain("visitor");
    const signInPage = await hit(`${app.previewUrl}_kiln/sign-in?next=%2Fadmin`);
    expect(signInPage.status).toBe(200);
    expect(signInPage.text).toContain('action="/_kiln/sign-in"');
    expect(signInPage.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");

    // Not invited: the same answer, and no mail.
    const stranger = await form(`${app.previewUrl}_kiln/sign-in`, { email: "stranger@example.com", next: "/" });
    expect(stranger.status).toBe(200);
    expect(stranger.text).toContain("If stranger@example.com may use");
    expect(await latestCode(user, app.id, "stranger@example.com")).toBeNull();

    const invite = await user.call("POST", `/api/apps/${app.id}/visitors`, {
      email: "Friend@Example.com",
      roles: ["member"],
    });
    expect(invite.status).toBe(201);
    expect(invite.body).toMatchObject({ email: "friend@example.com", roles: ["member"] });
    const asked = await form(`${app.previewUrl}_kiln/sign-in`, { email: "friend@example.com", next: "/admin" });
    expect(asked.text).toContain("If friend@example.com may use");
    const code = await latestCode(user, app.id, "friend@example.com");
    expect(code).toMatch(/^\d{6}$/);

    const wrong = await form(`${app.previewUrl}_kiln/sign-in/code`, {
      email: "friend@example.com",
      code: code === "000000" ? "111111" : "000000",
      next: "/admin",
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain("That code is wrong");
    const right = await form(`${app.previewUrl}_kiln/sign-in/code`, {
      email: "friend@example.com",
      code: code!,
      next: "/admin",
    });
    expect(right.status).toBe(303);
    expect(right.headers.get("location")).toBe("/admin");
    const cookie = sessionCookie(right.headers.get("set-cookie"));

    const inside = await hit(`${app.previewUrl}admin`, { headers: { cookie: `${cookie}; theme=dark` } });
    expect(inside.status).toBe(200);
    const seen = JSON.parse(inside.text);
    expect(seen.visitor).toMatchObject({ email: "friend@example.com", roles: ["member"] });
    expect(seen.visitor.id).toMatch(/^vis_[0-9a-f]{20}$/);
    // The session token never reaches app code.
    expect(seen.cookie).toBe("theme=dark");

    // A code works once.
    const again = await form(`${app.previewUrl}_kiln/sign-in/code`, {
      email: "friend@example.com",
      code: code!,
      next: "/",
    });
    expect(again.status).toBe(400);

    // Roles changed by the owner apply on the next request; removing the invitation ends the session.
    await user.call("POST", `/api/apps/${app.id}/visitors`, { email: "friend@example.com", roles: ["admin"] });
    expect(JSON.parse((await hit(app.previewUrl, { headers: { cookie } })).text).visitor.roles).toEqual(["admin"]);
    expect((await user.call("DELETE", `/api/apps/${app.id}/visitors/friend%40example.com`)).status).toBe(200);
    expect((await hit(app.previewUrl, { headers: { cookie } })).status).toBe(401);
  });

  it("the owner enters their own protected app with a one-time link from the workspace", async () => {
    const user = await newUser();
    const app = await protectedApp(user, { rule: "owner" });
    // Nobody else can even ask for a code.
    await form(`${app.previewUrl}_kiln/sign-in`, { email: "someone@example.com", next: "/" });
    expect(await latestCode(user, app.id, "someone@example.com")).toBeNull();

    const link = await user.call("POST", `/api/apps/${app.id}/visit`, { environment: "preview", next: "/settings" });
    expect(link.status).toBe(200);
    expect(link.body.url).toMatch(/\/_kiln\/owner\?token=vh_/);
    const entered = await hit(link.body.url);
    expect(entered.status).toBe(303);
    expect(entered.headers.get("location")).toBe("/settings");
    const cookie = sessionCookie(entered.headers.get("set-cookie"));
    expect(JSON.parse((await hit(`${app.previewUrl}settings`, { headers: { cookie } })).text).visitor).toMatchObject({
      email: user.email,
      roles: ["owner"],
    });
    expect((await hit(link.body.url)).status).toBe(403);

    // Signing out ends the session and clears the cookie.
    const out = await form(`${app.previewUrl}_kiln/sign-out`, {}, { cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/^kiln_visitor=; .*Max-Age=0/);
    expect((await hit(app.previewUrl, { headers: { cookie } })).status).toBe(401);
  });

  it("an email-domain rule admits only that exact domain; a signed-in visitor outside it gets a 403", async () => {
    const user = await newUser();
    const app = await protectedApp(user, { rule: "domains", domains: ["Acme.test"] });
    await form(`${app.previewUrl}_kiln/sign-in`, { email: "eve@evil-acme.test", next: "/" });
    await form(`${app.previewUrl}_kiln/sign-in`, { email: "eve@sub.acme.test", next: "/" });
    expect(await latestCode(user, app.id, "eve@evil-acme.test")).toBeNull();
    expect(await latestCode(user, app.id, "eve@sub.acme.test")).toBeNull();
    await form(`${app.previewUrl}_kiln/sign-in`, { email: "ann@acme.test", next: "/" });
    const code = await latestCode(user, app.id, "ann@acme.test");
    const signedIn = await form(`${app.previewUrl}_kiln/sign-in/code`, {
      email: "ann@acme.test",
      code: code!,
      next: "/",
    });
    const cookie = sessionCookie(signedIn.headers.get("set-cookie"));
    expect((await hit(app.previewUrl, { headers: { cookie } })).status).toBe(200);
    // Changing the rule signs everyone but the owner out.
    await user.call("PUT", `/api/apps/${app.id}/access/preview`, { rule: "invited" });
    expect((await hit(app.previewUrl, { headers: { cookie } })).status).toBe(401);
  });

  it("refuses forms sent from another site, and wrong codes past five with a 429", async () => {
    const user = await newUser();
    const app = await protectedApp(user, { rule: "signed_in" });
    const forged = await form(
      `${app.previewUrl}_kiln/sign-in`,
      { email: "a@example.com", next: "/" },
      { origin: "https://evil.example" },
    );
    expect(forged.status).toBe(403);
    for (let i = 0; i < 5; i++) {
      const wrong = await form(`${app.previewUrl}_kiln/sign-in/code`, {
        email: "a@example.com",
        code: "123456",
        next: "/",
      });
      expect(wrong.status).toBe(400);
    }
    const limited = await form(`${app.previewUrl}_kiln/sign-in/code`, {
      email: "a@example.com",
      code: "123456",
      next: "/",
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("sends a visitor back only to a path on the same host", async () => {
    const user = await newUser();
    const app = await protectedApp(user, { rule: "signed_in" });
    for (const next of ["//evil.example/x", "https://evil.example/", "/\\evil.example", "/_kiln/sign-out"]) {
      await form(`${app.previewUrl}_kiln/sign-in`, { email: "n@example.com", next });
      const code = await latestCode(user, app.id, "n@example.com");
      const done = await form(`${app.previewUrl}_kiln/sign-in/code`, { email: "n@example.com", code: code!, next });
      expect(done.headers.get("location")).toBe("/");
    }
  });

  it("validates rules and invitations in words the owner can act on", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "rules", whoAmI);
    const noDomains = await user.call("PUT", `/api/apps/${app.id}/access/live`, { rule: "domains" });
    expect(noDomains.status).toBe(400);
    expect(noDomains.body.error.message).toMatch(/at least one email domain/);
    const badRule = await user.call("PUT", `/api/apps/${app.id}/access/live`, { rule: "everyone" });
    expect(badRule.status).toBe(400);
    const ownerRole = await user.call("POST", `/api/apps/${app.id}/visitors`, {
      email: "x@example.com",
      roles: ["owner"],
    });
    expect(ownerRole.status).toBe(400);
    expect(ownerRole.body.error.message).toMatch(/owner is the app owner's own role/);
    const listed = await user.call("GET", `/api/apps/${app.id}/access`);
    expect(listed.body).toMatchObject({ preview: { rule: "public" }, live: { rule: "public" }, visitors: [] });
    const other = await newUser();
    expect((await other.call("GET", `/api/apps/${app.id}/access`)).status).toBe(404);
  });

  it("apps guard their own pages with kiln's requireVisitor and requireRole (the owner passes every role)", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "roles app", {
      "src/index.ts": `import { Hono } from "hono";
import { requireRole, requireVisitor, visitor } from "kiln";
const app = new Hono();
app.get("/", (c) => c.text(visitor(c) ? "hello " + visitor(c)!.email : "hello stranger"));
app.use("/me", requireVisitor());
app.get("/me", (c) => c.json({ id: visitor(c)!.id, roles: visitor(c)!.roles }));
app.use("/admin/*", requireRole("admin"));
app.get("/admin/stats", (c) => c.text("stats"));
app.use("/settings", requireRole("owner"));
app.get("/settings", (c) => c.text("settings"));
export default app;
`,
    });
    await user.call("PUT", `/api/apps/${app.id}/access/preview`, { rule: "public" });
    expect((await hit(app.previewUrl)).text).toBe("hello stranger");
    expect((await hit(`${app.previewUrl}me`)).status).toBe(401);
    const toSignIn = await hit(`${app.previewUrl}admin/stats`, { headers: { accept: "text/html" } });
    expect(toSignIn.status).toBe(303);
    expect(toSignIn.headers.get("location")).toBe("/_kiln/sign-in?next=%2Fadmin%2Fstats");

    const signIn = async (email: string) =>
      sessionCookie((await signInWithCode(user, app.id, app.previewUrl, email)).headers.get("set-cookie"));
    await user.call("POST", `/api/apps/${app.id}/visitors`, { email: "boss@example.com", roles: ["admin"] });
    const member = await signIn("member@example.com");
    const boss = await signIn("boss@example.com");
    expect((await hit(`${app.previewUrl}me`, { headers: { cookie: member } })).status).toBe(200);
    expect((await hit(`${app.previewUrl}admin/stats`, { headers: { cookie: member } })).status).toBe(403);
    expect((await hit(`${app.previewUrl}admin/stats`, { headers: { cookie: boss } })).text).toBe("stats");
    expect((await hit(`${app.previewUrl}settings`, { headers: { cookie: boss } })).status).toBe(403);
    const link = await user.call("POST", `/api/apps/${app.id}/visit`, { environment: "preview" });
    const owner = sessionCookie((await hit(link.body.url)).headers.get("set-cookie"));
    expect((await hit(`${app.previewUrl}settings`, { headers: { cookie: owner } })).text).toBe("settings");
    expect((await hit(`${app.previewUrl}admin/stats`, { headers: { cookie: owner } })).text).toBe("stats");
  });
});
