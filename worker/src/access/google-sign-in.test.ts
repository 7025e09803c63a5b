import { SELF, createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  GOOGLE_FAKE_CLIENT_ID,
  GOOGLE_FAKE_CLIENT_SECRET,
  GOOGLE_FAKE_USER,
} from "../../../connectors/google/fake/credentials";
import { newUser } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";
import type { Env } from "../core/env";
import worker from "../control-plane/index";
import { verifiedEmail } from "./google-sign-in";
import { visitorPages } from "./visitor-pages";

// The operator registered a Google client (here the fake's); GOOGLE_OAUTH_BASE already points at the fake.
const googleEnv: Env = {
  ...env,
  GOOGLE_CLIENT_ID: GOOGLE_FAKE_CLIENT_ID,
  GOOGLE_CLIENT_SECRET: GOOGLE_FAKE_CLIENT_SECRET,
};

const whoAmI = {
  "src/index.ts": `export default { fetch: (req: Request) => Response.json(JSON.parse(req.headers.get("x-kiln-visitor") ?? "null")) };`,
};

async function invitedApp() {
  const user = await newUser();
  const app = await appWithSource(user, `google ${crypto.randomUUID().slice(0, 6)}`, whoAmI);
  expect((await user.call("PUT", `/api/apps/${app.id}/access/preview`, { rule: "invited" })).status).toBe(200);
  return { user, app };
}

/** Kiln's page of an app host, as the runner relays it to the control plane (with `googleEnv`). */
function kilnPage(url: string, slug: string, headers: Record<string, string> = {}, bindings: Env = googleEnv) {
  return visitorPages(bindings, new Request(url, { headers }), slug, "preview");
}

/** Kiln's own host, through the Worker's entry with `googleEnv`. */
async function platform(url: string): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(url, { redirect: "manual" }) as Request<unknown, IncomingRequestCfProperties>,
    googleEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

/** Sign-in page → Google (the fake consents at once) → Kiln's callback: the app host's URL it sends the browser to. */
async function throughGoogle(previewUrl: string, slug: string) {
  const started = await kilnPage(`${previewUrl}_kiln/sign-in/google?next=%2Fwelcome`, slug);
  expect(started.status).toBe(303);
  const stateCookie = started.headers.get("set-cookie")!.split(";")[0]!;
  expect(started.headers.get("set-cookie")).toMatch(
    /^kiln_google_state=.+; Path=\/_kiln\/; HttpOnly; SameSite=Lax; Max-Age=600$/,
  );
  const authorization = new URL(started.headers.get("location")!);
  expect(authorization.searchParams.get("scope")).toBe("openid email");
  expect(authorization.searchParams.get("redirect_uri")).toBe("http://localhost:8787/api/visitor-auth/google/callback");
  const consent = await fetch(authorization, { redirect: "manual" });
  expect(consent.status).toBe(302);
  const callback = consent.headers.get("location")!;
  const back = await platform(callback);
  return { back, stateCookie, callback };
}

describe("Sign in with Google, for visitors of an app", () => {
  it("is offered only when the operator registered a Google client", async () => {
    const { app } = await invitedApp();
    const without = await kilnPage(`${app.previewUrl}_kiln/sign-in`, app.slug, {}, env);
    expect(await without.text()).not.toContain("Sign in with Google");
    expect((await kilnPage(`${app.previewUrl}_kiln/sign-in/google`, app.slug, {}, env)).status).toBe(404);
    const offered = await kilnPage(`${app.previewUrl}_kiln/sign-in?next=%2Fx`, app.slug);
    expect(await offered.text()).toContain('href="/_kiln/sign-in/google?next=%2Fx">Sign in with Google');
  });

  it("signs an invited Google account in on the app's host, once, in the browser that started it", async () => {
    const { user, app } = await invitedApp();
    await user.call("POST", `/api/apps/${app.id}/visitors`, { email: GOOGLE_FAKE_USER.email, roles: ["member"] });
    const { back, stateCookie, callback } = await throughGoogle(app.previewUrl, app.slug);
    expect(back.status).toBe(303);
    const done = new URL(back.headers.get("location")!);
    expect(`${done.origin}/`).toBe(app.previewUrl);
    expect(done.pathname).toBe("/_kiln/sign-in/google/done");

    // Another browser (no state cookie) cannot use the link: nobody is signed in as someone else by a link.
    expect((await kilnPage(done.toString(), app.slug)).status).toBe(403);
    const signedIn = await kilnPage(done.toString(), app.slug, { cookie: stateCookie });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("location")).toBe("/welcome");
    const cookies = signedIn.headers.getSetCookie();
    expect(cookies[1]).toMatch(/^kiln_google_state=; .*Max-Age=0/);
    const session = cookies[0]!.split(";")[0]!;
    const inside = await SELF.fetch(app.previewUrl, { headers: { cookie: session } });
    expect(await inside.json()).toMatchObject({ email: GOOGLE_FAKE_USER.email, roles: ["member"] });

    // The link and Google's redirect work once.
    expect((await kilnPage(done.toString(), app.slug, { cookie: stateCookie })).status).toBe(403);
    expect((await platform(callback)).status).toBe(400);
  });

  it("refuses a Google account the app's rule does not admit, and says why a cancelled sign-in failed", async () => {
    const { app } = await invitedApp();
    const { back, stateCookie } = await throughGoogle(app.previewUrl, app.slug);
    const refused = await kilnPage(back.headers.get("location")!, app.slug, { cookie: stateCookie });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain(`${GOOGLE_FAKE_USER.email} may not use`);

    const started = await kilnPage(`${app.previewUrl}_kiln/sign-in/google`, app.slug);
    const state = new URL(started.headers.get("location")!).searchParams.get("state")!;
    const cancelled = await platform(
      `http://localhost:8787/api/visitor-auth/google/callback?error=access_denied&state=${state}`,
    );
    expect(cancelled.status).toBe(303);
    const page = await kilnPage(cancelled.headers.get("location")!, app.slug);
    expect(await page.text()).toContain("Google sign-in was cancelled");
    // Only known reasons are shown: text in the URL never reaches the page.
    const forged = await kilnPage(`${app.previewUrl}_kiln/sign-in?google=%3Cscript%3E`, app.slug);
    expect(await forged.text()).not.toContain("<script>");
  });

  it("reads only a verified email from an ID token meant for this client", () => {
    const token = (claims: Record<string, unknown>) =>
      `e30.${btoa(JSON.stringify(claims)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")}.sig`;
    const good = {
      iss: "https://accounts.google.com",
      aud: "client",
      exp: 2_000_000_000,
      email: "Ann@Example.com",
      email_verified: true,
    };
    expect(verifiedEmail(token(good), "client", 1_000)).toBe("ann@example.com");
    expect(verifiedEmail(token({ ...good, aud: "other" }), "client", 1_000)).toBeNull();
    expect(verifiedEmail(token({ ...good, email_verified: false }), "client", 1_000)).toBeNull();
    expect(verifiedEmail(token({ ...good, iss: "https://evil.example" }), "client", 1_000)).toBeNull();
    expect(verifiedEmail(token(good), "client", 2_000_000_001_000)).toBeNull();
    expect(verifiedEmail("not a token", "client")).toBeNull();
  });
});
