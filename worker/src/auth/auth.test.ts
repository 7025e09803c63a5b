import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { callApi, newUser } from "../../test/api-client";

describe("sign-up, sign-in and tokens", () => {
  it("signs up, sets an HttpOnly session cookie and answers /me with it", async () => {
    const email = `a${Date.now()}@example.com`;
    const signup = await callApi("POST", "/api/auth/signup", { email, password: "long enough pw" });
    expect(signup.status).toBe(201);
    expect(signup.body.user.email).toBe(email);
    const setCookie = signup.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^kiln_session=[0-9a-f]{64};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    const me = await callApi("GET", "/api/auth/me", undefined, { cookie: setCookie.split(";")[0]! });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(email);
  });

  it("rejects a taken email, a short password and a bad email with clear errors", async () => {
    const user = await newUser();
    const taken = await callApi("POST", "/api/auth/signup", { email: user.email, password: "another password" });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe("email_taken");
    const short = await callApi("POST", "/api/auth/signup", { email: "x@example.com", password: "short" });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toMatch(/at least 8 characters/);
    const bad = await callApi("POST", "/api/auth/signup", { email: "not-an-email", password: "long enough pw" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("bad_request");
    const notJson = await callApi("POST", "/api/auth/signup", undefined, { "content-type": "application/json" });
    expect(notJson.status).toBe(400);
  });

  it("logs in with the right password only, with the same error for unknown emails", async () => {
    const user = await newUser();
    const ok = await callApi("POST", "/api/auth/login", { email: user.email, password: "correct horse battery" });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("set-cookie")).toMatch(/^kiln_session=/);
    const wrong = await callApi("POST", "/api/auth/login", { email: user.email, password: "wrong password" });
    const unknown = await callApi("POST", "/api/auth/login", {
      email: "nobody@example.com",
      password: "wrong password",
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it("logout ends the session", async () => {
    const user = await newUser();
    const logout = await callApi("POST", "/api/auth/logout", undefined, { cookie: user.cookie });
    expect(logout.status).toBe(200);
    const me = await callApi("GET", "/api/auth/me", undefined, { cookie: user.cookie });
    expect(me.status).toBe(401);
  });

  it("bearer tokens authenticate scripts, are listed without the secret and can be revoked", async () => {
    const user = await newUser();
    expect(user.token).toMatch(/^kiln_pat_[0-9a-f]{64}$/);
    const me = await user.call("GET", "/api/auth/me");
    expect(me.body.user.id).toBe(user.id);
    const list = await user.call("GET", "/api/tokens");
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(user.token.slice("kiln_pat_".length));
    expect(list.body.tokens[0].lastUsedAt).not.toBeNull();
    const revoke = await user.call("DELETE", `/api/tokens/${list.body.tokens[0].id}`);
    expect(revoke.status).toBe(200);
    expect((await user.call("GET", "/api/auth/me")).status).toBe(401);
    const garbage = await callApi("GET", "/api/auth/me", undefined, { authorization: "Bearer kiln_pat_nope" });
    expect(garbage.status).toBe(401);
  });

  it("refuses cookie-authenticated writes coming from another site, such as an app's page", async () => {
    const user = await newUser();
    const forged = await callApi(
      "POST",
      "/api/apps",
      { name: "x" },
      { cookie: user.cookie, origin: "http://evil.localhost:8787" },
    );
    expect(forged.status).toBe(403);
    const same = await callApi(
      "POST",
      "/api/apps",
      { name: "x" },
      { cookie: user.cookie, origin: "http://localhost:8787" },
    );
    expect(same.status).toBe(201);
  });

  it("stores only hashes of passwords, sessions and tokens", async () => {
    const user = await newUser();
    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?")
      .bind(user.id)
      .first<{ password_hash: string }>();
    expect(row?.password_hash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(row?.password_hash).not.toContain("correct horse");
    const session = user.cookie.split("=")[1]!;
    const sessions = await env.DB.prepare("SELECT token_hash FROM sessions WHERE user_id = ?")
      .bind(user.id)
      .all<{ token_hash: string }>();
    expect(sessions.results.some((s) => s.token_hash === session)).toBe(false);
    const tokens = await env.DB.prepare("SELECT token_hash FROM api_tokens WHERE user_id = ?")
      .bind(user.id)
      .all<{ token_hash: string }>();
    expect(tokens.results.some((t) => t.token_hash.includes(user.token.slice(9)))).toBe(false);
  });

  it("answers 429 with Retry-After after 10 wrong passwords for one email, known or not, even to the right one", async () => {
    const user = await newUser();
    const unknown = `nobody-${Date.now()}@example.com`;
    for (const email of [user.email, unknown]) {
      for (let i = 0; i < 10; i++) {
        const wrong = await callApi("POST", "/api/auth/login", { email, password: `wrong password ${i}` });
        expect(wrong.status).toBe(401);
      }
      const refused = await callApi("POST", "/api/auth/login", { email, password: "wrong password again" });
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe("too_many_requests");
      expect(refused.body.error.message).toMatch(/Too many failed attempts\. Wait 15 minutes/);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(800);
    }
    const locked = await callApi("POST", "/api/auth/login", { email: user.email, password: "correct horse battery" });
    expect(locked.status).toBe(429);
    expect(locked.headers.get("set-cookie")).toBeNull();
    // Another account is not affected.
    const other = await newUser();
    const fine = await callApi("POST", "/api/auth/login", { email: other.email, password: "correct horse battery" });
    expect(fine.status).toBe(200);
  });

  it("counts wrong passwords per client address across emails when Cloudflare names the address", async () => {
    const address = `198.51.100.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < 50; i++) {
      const wrong = await callApi(
        "POST",
        "/api/auth/login",
        { email: `guess-${i}-${Date.now()}@example.com`, password: "wrong password" },
        { "cf-connecting-ip": address },
      );
      expect(wrong.status).toBe(401);
    }
    const user = await newUser();
    const refused = await callApi(
      "POST",
      "/api/auth/login",
      { email: user.email, password: "correct horse battery" },
      { "cf-connecting-ip": address },
    );
    expect(refused.status).toBe(429);
    const elsewhere = await callApi(
      "POST",
      "/api/auth/login",
      { email: user.email, password: "correct horse battery" },
      { "cf-connecting-ip": "192.0.2.1" },
    );
    expect(elsewhere.status).toBe(200);
  });

  it("under https the session cookie is __Host-kiln_session (Secure, Path=/, host-only), and only that name counts", async () => {
    const email = `https-${Date.now()}@example.com`;
    const signup = await SELF.fetch("https://localhost:8787/api/auth/signup", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://localhost:8787" },
      body: JSON.stringify({ email, password: "long enough pw" }),
    });
    expect(signup.status).toBe(201);
    const setCookie = signup.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^__Host-kiln_session=[0-9a-f]{64};/);
    expect(setCookie).toMatch(/; Secure/i);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).not.toMatch(/Domain=/i);
    const secret = setCookie.split(";")[0]!.split("=")[1]!;
    const me = (cookie: string) => SELF.fetch("https://localhost:8787/api/auth/me", { headers: { cookie } });
    expect((await me(`__Host-kiln_session=${secret}`)).status).toBe(200);
    // A plain-named cookie could have been planted by a sibling host: under https it is not read.
    expect((await me(`kiln_session=${secret}`)).status).toBe(401);
    const out = await SELF.fetch("https://localhost:8787/api/auth/logout", {
      method: "POST",
      headers: { cookie: `__Host-kiln_session=${secret}`, origin: "https://localhost:8787" },
    });
    expect(out.headers.get("set-cookie")).toMatch(/^__Host-kiln_session=;.*Secure/i);
    expect((await me(`__Host-kiln_session=${secret}`)).status).toBe(401);
  });
});
