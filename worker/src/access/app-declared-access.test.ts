import { describe, expect, it } from "vitest";
import { newUser, ownerCookie } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";
import { form, hit } from "../../test/visitor-client";

// An app with an owner page, an admin page and a members' page, declaring its roles and its live rule.
const clubFiles = (access: string, roles = `["admin", "member"]`) => ({
  "src/index.ts": `import { Hono } from "hono";
import { type Access, type Check, type Roles, requireOwner, requireRole, requireVisitor, visitor } from "kiln";
export const roles: Roles = ${roles};
export const access: Access = ${access};
export const checks: Check[] = [
  { name: "members see the board", path: "/board", as: "visitor", contains: "board for" },
  { name: "admins see stats", path: "/admin/stats", as: "admin", contains: "stats" },
  { name: "the owner sees settings", path: "/settings", as: "owner", contains: "settings" },
  { name: "strangers do not see settings", path: "/settings", status: 401 },
];
const app = new Hono();
app.get("/", (c) => c.text("club"));
app.get("/board", requireVisitor(), (c) => c.text("board for " + visitor(c)!.email));
app.get("/admin/stats", requireRole("admin"), (c) => c.text("stats"));
app.get("/settings", requireOwner(), (c) => c.text("settings"));
export default app;
`,
});

describe("access an app's code declares, and the owner's own preview", () => {
  it("keeps a new app's preview to its owner: anyone else gets the sign-in page or a 401; the owner's link opens it", async () => {
    const user = await newUser({ previews: "default" });
    const app = await appWithSource(user, "draft", {
      "src/index.ts": `export default { fetch: () => new Response("secret draft") };`,
    });
    const page = await hit(app.previewUrl, { headers: { accept: "text/html" } });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/_kiln/sign-in?next=%2F");
    const script = await hit(`${app.previewUrl}data.json`);
    expect(script.status).toBe(401);
    expect(script.text).not.toContain("secret draft");
    // No one but the owner may even ask for a code: the answer is the same, and no mail is sent.
    await form(`${app.previewUrl}_kiln/sign-in`, { email: "friend@example.com", next: "/" });
    expect((await user.call("GET", `/api/apps/${app.id}/outbox`)).body.mails).toEqual([]);
    const cookie = await ownerCookie(user, app.id, app.previewUrl);
    expect((await hit(app.previewUrl, { headers: { cookie } })).text).toBe("secret draft");
    // The live app is the owner's to publish for everyone: public by default.
    expect((await user.call("GET", `/api/apps/${app.id}/access`)).body).toMatchObject({
      preview: { rule: "owner", setBy: "default" },
      live: { rule: "public", setBy: "default" },
    });
  });

  it("publishing applies the code's `access` to the live app until the owner picks a rule, and lists its roles", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "club", clubFiles(`"invited"`));
    const listed = await user.call("GET", `/api/apps/${app.id}/access`);
    expect(listed.body).toMatchObject({ roles: ["admin", "member"], live: { rule: "public", setBy: "default" } });
    expect((await user.call("POST", `/api/apps/${app.id}/publish`, { version: app.version })).status).toBe(200);
    expect((await user.call("GET", `/api/apps/${app.id}/access`)).body.live).toMatchObject({
      rule: "invited",
      setBy: "app",
    });
    expect((await hit(app.liveUrl)).status).toBe(401);

    // A new version asking for "signed_in" replaces the code's rule…
    const next = await user.call("PUT", `/api/apps/${app.id}/source`, { files: clubFiles(`"signed_in"`) });
    await user.call("POST", `/api/apps/${app.id}/publish`, { version: next.body.version });
    expect((await user.call("GET", `/api/apps/${app.id}/access`)).body.live).toMatchObject({ rule: "signed_in" });
    // …but once the owner chose one, code never changes it.
    await user.call("PUT", `/api/apps/${app.id}/access/live`, { rule: "public" });
    const third = await user.call("PUT", `/api/apps/${app.id}/source`, { files: clubFiles(`"owner"`) });
    await user.call("POST", `/api/apps/${app.id}/publish`, { version: third.body.version });
    expect((await user.call("GET", `/api/apps/${app.id}/access`)).body.live).toMatchObject({
      rule: "public",
      setBy: "owner",
    });
    expect((await hit(app.liveUrl)).text).toBe("club");
  });

  it("runs checks as the owner, a visitor or a role, and fails a build whose guarded page does not guard", async () => {
    const user = await newUser();
    // The checks above passed for the club (its deploy succeeded); here the owner page forgets requireOwner().
    const files = clubFiles(`"public"`);
    files["src/index.ts"] = files["src/index.ts"].replace(
      `app.get("/settings", requireOwner(), `,
      `app.get("/settings", `,
    );
    const created = await user.call("POST", "/api/apps", { name: "leaky club" });
    const upload = await user.call("PUT", `/api/apps/${created.body.id}/source`, { files });
    expect(upload.status).toBe(422);
    expect(upload.text).toContain("strangers do not see settings");
    expect(upload.text).toContain("answered 200, expected 401");
  });

  it("refuses roles and access it cannot honour, saying what to write", async () => {
    const user = await newUser();
    const created = await user.call("POST", "/api/apps", { name: "bad club" });
    const upload = (access: string, roles?: string) =>
      user.call("PUT", `/api/apps/${created.body.id}/source`, { files: clubFiles(access, roles) });
    const everyone = await upload(`"everyone" as Access`);
    expect(everyone.status).toBe(422);
    expect(everyone.text).toContain(
      '`access` must be one of \\"public\\", \\"signed_in\\", \\"invited\\", \\"owner\\"',
    );
    const owner = await upload(`"invited"`, `["owner"]`);
    expect(owner.status).toBe(422);
    expect(owner.text).toContain("is the app owner's own role");
    const domains = await upload(`{ domains: ["not a domain"] }`);
    expect(domains.status).toBe(422);
    expect(domains.text).toContain("is not a domain like example.com");
  });
});
