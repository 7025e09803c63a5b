import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type ResponseBody, type TestUser, newUser } from "../../../test/api-client";
import { appWithSource } from "../../../test/fixtures";
import { form, hit, signInWithCode } from "../../../test/visitor-client";
import { SoftwarePasskey } from "../../../test/software-authenticator";

const whoAmI = {
  "src/index.ts": `export default { fetch: (req: Request) => Response.json(JSON.parse(req.headers.get("x-kiln-visitor") ?? "null")) };`,
};

/** A JSON call from the app's own page (its origin), as the passkey script makes it. */
async function call(url: string, body: unknown, cookie?: string) {
  const answer = await hit(url, {
    method: "POST",
    headers: { "content-type": "application/json", origin: new URL(url).origin, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  return { ...answer, json: JSON.parse(answer.text) as ResponseBody };
}

async function signedInWithCode(user: TestUser, app: { id: string; previewUrl: string }, email: string) {
  const done = await signInWithCode(user, app.id, app.previewUrl, email);
  return done.headers.get("set-cookie")!.split(";")[0]!;
}

describe("visitors' passkeys on an app host", () => {
  it("a signed-in visitor adds a passkey; later it signs them in with no code, once per challenge, on that host only", async () => {
    const user = await newUser();
    const app = await appWithSource(user, `passkeys ${crypto.randomUUID().slice(0, 6)}`, whoAmI);
    await user.call("PUT", `/api/apps/${app.id}/access/preview`, { rule: "signed_in" });
    await user.call("PUT", `/api/apps/${app.id}/access/live`, { rule: "signed_in" });
    await user.call("POST", `/api/apps/${app.id}/publish`, { version: app.version });
    const host = new URL(app.previewUrl);
    const passkey = await SoftwarePasskey.create(host.hostname, host.origin);

    expect((await call(`${app.previewUrl}_kiln/passkeys/register/options`, {})).status).toBe(401);
    const session = await signedInWithCode(user, app, "eve@example.com");
    const options = await call(`${app.previewUrl}_kiln/passkeys/register/options`, {}, session);
    expect(options.json.publicKey).toMatchObject({
      rp: { id: host.hostname },
      user: { name: "eve@example.com" },
      attestation: "none",
      excludeCredentials: [],
    });
    const added = await call(
      `${app.previewUrl}_kiln/passkeys/register`,
      { challengeId: options.json.challengeId, credential: await passkey.register(options.json.publicKey.challenge) },
      session,
    );
    expect(added.status).toBe(201);
    expect((await hit(`${app.previewUrl}_kiln/passkeys`, { headers: { cookie: session } })).text).toContain("Added ");

    // Signed out (no cookie): the passkey alone signs Eve in.
    const asked = await call(`${app.previewUrl}_kiln/passkeys/sign-in/options`, {});
    expect(asked.json.publicKey).toMatchObject({ rpId: host.hostname });
    expect(asked.json.publicKey.allowCredentials).toBeUndefined();
    const assertion = await passkey.assert(asked.json.publicKey.challenge);
    const signIn = await call(`${app.previewUrl}_kiln/passkeys/sign-in`, {
      challengeId: asked.json.challengeId,
      next: "/inside",
      credential: assertion,
    });
    expect(signIn.status).toBe(200);
    expect(signIn.json).toEqual({ location: "/inside" });
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    expect(JSON.parse((await hit(app.previewUrl, { headers: { cookie } })).text)).toMatchObject({
      email: "eve@example.com",
    });

    // The same answer again: its challenge is used up.
    const replay = await call(`${app.previewUrl}_kiln/passkeys/sign-in`, {
      challengeId: asked.json.challengeId,
      credential: assertion,
    });
    expect(replay.status).toBe(400);
    // On the live host (another RP ID) the preview's passkey is unknown.
    const live = await call(`${app.liveUrl}_kiln/passkeys/sign-in/options`, {});
    const elsewhere = await call(`${app.liveUrl}_kiln/passkeys/sign-in`, {
      challengeId: live.json.challengeId,
      credential: await passkey.assert(live.json.publicKey.challenge, { origin: new URL(app.liveUrl).origin }),
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.get("set-cookie")).toBeNull();
  });

  it("still asks the app's rule at each sign-in; a visitor removes a passkey, a withdrawn invitation takes them all", async () => {
    const user = await newUser();
    const app = await appWithSource(user, `passkeys ${crypto.randomUUID().slice(0, 6)}`, whoAmI);
    await user.call("PUT", `/api/apps/${app.id}/access/preview`, { rule: "invited" });
    await user.call("POST", `/api/apps/${app.id}/visitors`, { email: "fay@example.com", roles: [] });
    const host = new URL(app.previewUrl);
    const passkey = await SoftwarePasskey.create(host.hostname, host.origin);
    const session = await signedInWithCode(user, app, "fay@example.com");
    const add = async (key: SoftwarePasskey) => {
      const options = await call(`${app.previewUrl}_kiln/passkeys/register/options`, {}, session);
      const credential = await key.register(options.json.publicKey.challenge);
      await call(
        `${app.previewUrl}_kiln/passkeys/register`,
        { challengeId: options.json.challengeId, credential },
        session,
      );
    };
    const signInWith = async (key: SoftwarePasskey) => {
      const asked = await call(`${app.previewUrl}_kiln/passkeys/sign-in/options`, {});
      const credential = await key.assert(asked.json.publicKey.challenge);
      return call(`${app.previewUrl}_kiln/passkeys/sign-in`, { challengeId: asked.json.challengeId, credential });
    };
    await add(passkey);
    const removed = await form(`${app.previewUrl}_kiln/passkeys/remove`, { id: passkey.id }, { cookie: session });
    expect(removed.status).toBe(303);
    expect((await hit(`${app.previewUrl}_kiln/passkeys`, { headers: { cookie: session } })).text).toContain(
      "No passkey yet",
    );
    expect((await signInWith(passkey)).status).toBe(400);

    const second = await SoftwarePasskey.create(host.hostname, host.origin);
    await add(second);
    expect((await signInWith(second)).status).toBe(200);
    // The rule is asked at each sign-in: a passkey does not outlive a narrower rule.
    await user.call("PUT", `/api/apps/${app.id}/access/preview`, { rule: "domains", domains: ["other.example"] });
    const refused = await signInWith(second);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("set-cookie")).toBeNull();
    // A withdrawn invitation takes the person's passkeys for the app with it.
    await user.call("DELETE", `/api/apps/${app.id}/visitors/fay%40example.com`);
    const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM visitor_passkeys WHERE app_id = ?")
      .bind(app.id)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
  });
});
