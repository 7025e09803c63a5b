// Passkeys on an app host, under /_kiln/passkeys: a signed-in visitor adds one (or removes one) on the passkeys
// page; the sign-in page then offers "Sign in with a passkey". Each passkey belongs to the host it was made on
// (its RP ID), and a sign-in with it still passes the environment's rule, as a code would.
import { recordFailure, refuseWhenLimited } from "../../auth/attempt-limit";
import { appDataStore } from "../../data/app-data-store-stub";
import type { Visitor } from "../../data/visitor-sessions";
import { escapeHtml, visitorPage } from "../../serving/pages";
import { KILN_PATH, sessionTokenHash, visitorCookie, visitorToken } from "../../serving/visitor-cookie";
import { type SignInContext, addressKeys, rolesAtSignIn, safeNext } from "../sign-in-context";
import { KILN_PAGE_CSP } from "../sign-in-page";
import { startVisitorSession } from "../visitor-session";
import {
  type PasskeyPlace,
  deletePasskey,
  findPasskey,
  issueChallenge,
  listPasskeys,
  passkeyUsed,
  savePasskey,
  takeChallenge,
} from "./passkey-store";
import { PASSKEY_SCRIPT } from "./passkey-script";
import {
  type AssertionResponse,
  type Expected,
  PasskeyError,
  type RegistrationResponse,
  verifyAssertion,
  verifyRegistration,
} from "./webauthn";

/** The page where a signed-in visitor manages their passkeys for this host. */
export const PASSKEYS_PATH = `${KILN_PATH}passkeys`;

/** The same-origin script of the passkey buttons. */
export const PASSKEY_SCRIPT_PATH = `${KILN_PATH}passkey.js`;

/** Answers `/_kiln/passkey.js` and `/_kiln/passkeys…`, or null for any other path. */
export async function passkeyPages(context: SignInContext, request: Request, path: string): Promise<Response | null> {
  if (path === "passkey.js" && request.method === "GET")
    return new Response(PASSKEY_SCRIPT, {
      headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=300" },
    });
  if (path === "passkeys" && request.method === "GET") return await passkeysPage(context, request);
  if (path === "passkeys/remove" && request.method === "POST") return await removePasskey(context, request);
  if (!path.startsWith("passkeys/") || request.method !== "POST") return null;
  try {
    if (path === "passkeys/sign-in/options") return await signInOptions(context, request);
    if (path === "passkeys/sign-in") return await signInWithPasskey(context, request);
    if (path === "passkeys/register/options") return await registerOptions(context, request);
    if (path === "passkeys/register") return await register(context, request);
  } catch (error) {
    if (error instanceof PasskeyError) {
      console.warn(`passkey refused on ${context.url.host}: ${error.message}`);
      return json({ error: "That passkey could not be used here. Try again, or sign in with your email." }, 400);
    }
    throw error;
  }
  return null;
}

function place(context: SignInContext): PasskeyPlace {
  return { appId: context.app.id, environment: context.environment };
}

// The page's own origin and host: a passkey made here works only here.
function expected(context: SignInContext, challenge: string): Expected {
  return { challenge, origin: context.url.origin, rpId: context.url.hostname };
}

async function currentVisitor(context: SignInContext, request: Request): Promise<Visitor | null> {
  const found = visitorToken(request, context.url);
  if (found?.context !== "top") return null;
  const store = appDataStore(context.env, context.app, context.environment);
  return store.visitorSession(await sessionTokenHash(found.token));
}

async function signInOptions(context: SignInContext, request: Request): Promise<Response> {
  const keys = addressKeys(request);
  await refuseWhenLimited(context.env.DB, keys);
  await recordFailure(context.env.DB, keys);
  const { id, challenge } = await issueChallenge(context.env.DB, place(context), "sign_in", null);
  // No allow-list: the browser offers the passkeys it holds for this host, so no email is asked for or revealed.
  return json({
    challengeId: id,
    publicKey: { challenge, rpId: context.url.hostname, userVerification: "preferred", timeout: 120_000 },
  });
}

async function signInWithPasskey(context: SignInContext, request: Request): Promise<Response> {
  const body = (await request.json().catch(() => ({}))) as {
    challengeId?: string;
    next?: string;
    credential?: AssertionResponse;
  };
  const taken = await takeChallenge(context.env.DB, place(context), "sign_in", String(body.challengeId ?? ""));
  if (!taken) return json({ error: "This sign-in took too long. Try again." }, 400);
  const credential = body.credential;
  if (!credential || typeof credential.id !== "string") throw new PasskeyError("no credential was sent");
  const passkey = await findPasskey(context.env.DB, place(context), credential.id);
  if (!passkey) throw new PasskeyError("no passkey with that id was made here");
  const { signCount } = await verifyAssertion(credential, expected(context, taken.challenge), passkey);
  await passkeyUsed(context.env.DB, passkey.credentialId, signCount);
  // The rule may have changed since the passkey was made: it decides now, as for a code.
  const roles = await rolesAtSignIn(context, passkey.email);
  if (roles === null) return json({ error: `${passkey.email} may not use ${context.app.name}.` }, 403);
  const token = await startVisitorSession(context.env, context.app, context.environment, passkey.email, roles);
  return json({ location: safeNext(body.next ?? "/") }, 200, visitorCookie(context.url, token));
}

async function registerOptions(context: SignInContext, request: Request): Promise<Response> {
  const visitor = await currentVisitor(context, request);
  if (!visitor) return json({ error: "Sign in first, then add a passkey." }, 401);
  const { id, challenge } = await issueChallenge(context.env.DB, place(context), "register", visitor.email);
  const existing = await listPasskeys(context.env.DB, place(context), visitor.email);
  return json({
    challengeId: id,
    publicKey: {
      challenge,
      rp: { id: context.url.hostname, name: context.app.name },
      // The stable visitor id, so one authenticator keeps one passkey per person per host.
      user: { id: btoa(visitor.id).replace(/=+$/, ""), name: visitor.email, displayName: visitor.email },
      pubKeyCredParams: [
        { type: "public-key", alg: -7 },
        { type: "public-key", alg: -257 },
      ],
      authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
      attestation: "none",
      excludeCredentials: existing.map((passkey) => ({ type: "public-key", id: passkey.credentialId })),
      timeout: 120_000,
    },
  });
}

async function register(context: SignInContext, request: Request): Promise<Response> {
  const visitor = await currentVisitor(context, request);
  if (!visitor) return json({ error: "Sign in first, then add a passkey." }, 401);
  const body = (await request.json().catch(() => ({}))) as { challengeId?: string; credential?: RegistrationResponse };
  const taken = await takeChallenge(context.env.DB, place(context), "register", String(body.challengeId ?? ""));
  if (!taken || taken.email !== visitor.email) return json({ error: "This took too long. Try again." }, 400);
  if (!body.credential || typeof body.credential.id !== "string") throw new PasskeyError("no credential was sent");
  const credential = await verifyRegistration(body.credential, expected(context, taken.challenge));
  if (await findPasskey(context.env.DB, place(context), credential.credentialId))
    return json({ error: "This passkey is already added." }, 409);
  await savePasskey(context.env.DB, place(context), visitor.email, credential);
  return json({ ok: true }, 201);
}

async function passkeysPage(context: SignInContext, request: Request): Promise<Response> {
  const visitor = await currentVisitor(context, request);
  if (!visitor)
    return new Response(null, {
      status: 303,
      headers: { location: `${KILN_PATH}sign-in?next=${encodeURIComponent(PASSKEYS_PATH)}` },
    });
  const passkeys = await listPasskeys(context.env.DB, place(context), visitor.email);
  const rows = passkeys
    .map(
      (passkey) =>
        `<li>Added ${escapeHtml(passkey.createdAt.slice(0, 10))}${
          passkey.lastUsedAt ? `, last used ${escapeHtml(passkey.lastUsedAt.slice(0, 10))}` : ", not used yet"
        } <form method="post" action="${PASSKEYS_PATH}/remove"><input type="hidden" name="id" value="${escapeHtml(passkey.credentialId)}"><button type="submit">Remove</button></form></li>`,
    )
    .join("");
  const title = `Passkeys for ${context.app.name}`;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:30rem;margin:12vh auto;padding:0 1.5rem;color:#222}
h1{font-size:1.4rem}button{padding:.45rem .9rem;font-size:1rem}li form{display:inline;margin-left:.5rem}.small{font-size:.9rem;color:#555}</style>
</head><body><h1>${escapeHtml(title)}</h1>
<p>Signed in as ${escapeHtml(visitor.email)}. A passkey signs you in here with your fingerprint, face or device PIN — no code by email.</p>
${passkeys.length > 0 ? `<ul data-testid="passkeys">${rows}</ul>` : "<p>No passkey yet.</p>"}
<p><button type="button" id="passkey-add">Add a passkey</button></p>
<p id="passkey-status" role="status"></p>
<p class="small"><a href="/">Back to ${escapeHtml(context.app.name)}</a></p>
<script src="${PASSKEY_SCRIPT_PATH}" defer></script></body></html>`;
  return new Response(html, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": KILN_PAGE_CSP,
    },
  });
}

async function removePasskey(context: SignInContext, request: Request): Promise<Response> {
  const visitor = await currentVisitor(context, request);
  if (!visitor) return visitorPage(401, "Sign in first", "Sign in to this app, then manage your passkeys.");
  const id = String((await request.formData()).get("id") ?? "");
  await deletePasskey(context.env.DB, place(context), visitor.email, id);
  return new Response(null, { status: 303, headers: { location: PASSKEYS_PATH } });
}

function json(body: unknown, status = 200, cookie?: string): Response {
  const headers = new Headers({ "content-type": "application/json", "cache-control": "no-store" });
  if (cookie) headers.set("set-cookie", cookie);
  return new Response(JSON.stringify(body), { status, headers });
}
