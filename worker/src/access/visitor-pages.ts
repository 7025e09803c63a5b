import {
  type AttemptKey,
  type AttemptRule,
  TooManyAttemptsError,
  recordFailure,
  refuseWhenLimited,
} from "../auth/attempt-limit";
import { appDataStore } from "../data/app-data-store-stub";
import type { Env, Environment } from "../core/env";
import { sendMail } from "../mail/mailer";
import { SmtpError } from "../mail/smtp";
import { escapeHtml, visitorPage } from "../serving/pages";
import { KILN_PATH, sessionTokenHash, visitorCookie, visitorToken } from "../serving/visitor-cookie";
import { googleDone, googleStart } from "./google-pages";
import { passkeyPages } from "./passkeys/passkey-pages";
import { mcpOAuthPages } from "./mcp-oauth/oauth-pages";
import { GOOGLE_PROBLEMS, type GoogleProblem, googleSignInAvailable } from "./google-sign-in";
import {
  type SignInContext,
  addressKeys,
  findAppWithOwner,
  rolesAtSignIn,
  safeNext,
  signedIn,
} from "./sign-in-context";
import { issueCode, redeemCode, redeemHandoff } from "./sign-in-codes";
import { signInPage } from "./sign-in-page";
import { OWNER_ROLE } from "./visitor-session";

/** Codes one email may ask for on one app host in a window: enough for a lost mail, too few to flood an inbox. */
const CODES_PER_EMAIL: AttemptRule = { scope: "visitor-code-email", limit: 5, windowSeconds: 15 * 60 };
/** Wrong codes for one email on one app host before it must wait: 5 guesses of a million. */
const WRONG_CODES_PER_EMAIL: AttemptRule = { scope: "visitor-wrong-email", limit: 5, windowSeconds: 15 * 60 };

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;

/**
 * Kiln's pages under `/_kiln/` of an app host: sign-in by a code sent by email, the owner's one-click entry from the
 * workspace, and sign-out. They run in the control plane (invites, codes and mail live here) whichever process
 * received the request; the session they start is stored in the app environment's own database.
 */
export async function visitorPages(
  env: Env,
  request: Request,
  slug: string,
  environment: Environment,
): Promise<Response> {
  const url = new URL(request.url);
  const found = await findAppWithOwner(env.DB, slug);
  if (!found) return visitorPage(404, "App not found", "There is no app at this address. Check the link you followed.");
  const context: SignInContext = { env, app: found.app, ownerEmail: found.ownerEmail, environment, url };
  const path = url.pathname.slice(KILN_PATH.length);
  // MCP clients' OAuth: register and token are called by the client itself, from anywhere (PKCE, not origin, proves it).
  if (path.startsWith("oauth/")) {
    const oauth = await mcpOAuthPages(context, request, path.slice("oauth/".length));
    if (oauth) return oauth;
  }
  if (request.method === "POST" && !sameOrigin(request, url))
    return visitorPage(403, "Not allowed", "This form was sent from another site. Open the app and try again.");
  try {
    if (path === "sign-in" && request.method === "GET")
      return emailStep(context, safeNext(url.searchParams.get("next")));
    if (path === "sign-in" && request.method === "POST")
      return await sendCode(context, request, await request.formData());
    if (path === "sign-in/code" && request.method === "GET")
      return codeStep(context, url.searchParams.get("email") ?? "", safeNext(url.searchParams.get("next")), {
        code: url.searchParams.get("code") ?? "",
      });
    if (path === "sign-in/code" && request.method === "POST")
      return await checkCode(context, request, await request.formData());
    if (path === "owner" && request.method === "GET") return await ownerEntry(context, url);
    if (path === "sign-in/google" && request.method === "GET") return await googleStart(context, request);
    if (path === "sign-in/google/done" && request.method === "GET") return await googleDone(context, request);
    if (path === "sign-out") return await signOut(context, request);
    const passkey = await passkeyPages(context, request, path);
    if (passkey) return passkey;
  } catch (error) {
    if (error instanceof SmtpError) {
      console.error(`sign-in mail for ${slug} was not sent: ${error.message}`);
      return visitorPage(
        502,
        "The code could not be sent",
        "Kiln could not send the sign-in mail just now. Try again in a few minutes; if it keeps failing, tell the app's owner.",
      );
    }
    if (error instanceof TooManyAttemptsError) {
      const page = visitorPage(429, "Too many attempts", error.message);
      page.headers.set("retry-after", String(error.retryAfterSeconds));
      return page;
    }
    throw error;
  }
  return visitorPage(404, "Not found", "There is no such page. Open the app's address to start again.");
}

function emailStep(context: SignInContext, next: string, extra: { error?: string; email?: string } = {}): Response {
  // Back from Google without a session: the reason by its name only (no text from the URL reaches the page).
  const problem = context.url.searchParams.get("google");
  const googleError =
    problem && Object.hasOwn(GOOGLE_PROBLEMS, problem) ? GOOGLE_PROBLEMS[problem as GoogleProblem] : null;
  return signInPage({
    step: "email",
    appName: context.app.name,
    next,
    ownerLink: ownerLink(context, next),
    google: googleSignInAvailable(context.env),
    ...(googleError ? { error: googleError } : {}),
    ...extra,
    status: extra.error ? 400 : 200,
  });
}

// The owner, signed in to Kiln, enters without a code: the workspace's one-time link (it asks them to sign in to
// Kiln first when they are not). Anyone else following it only reaches Kiln's own sign-in.
function ownerLink(context: SignInContext, next: string): string | undefined {
  if (!context.env.KILN_URL) return undefined;
  const link = new URL(`/apps/${encodeURIComponent(context.app.id)}/open/${context.environment}`, context.env.KILN_URL);
  link.searchParams.set("next", next);
  return link.toString();
}

function codeStep(
  context: SignInContext,
  email: string,
  next: string,
  extra: { code?: string; notice?: string; error?: string; status?: number } = {},
): Response {
  return signInPage({ step: "code", appName: context.app.name, next, email, ...extra });
}

async function sendCode(context: SignInContext, request: Request, form: FormData): Promise<Response> {
  const next = safeNext(String(form.get("next") ?? ""));
  const email = String(form.get("email") ?? "")
    .trim()
    .toLowerCase();
  if (!EMAIL.test(email)) return emailStep(context, next, { email, error: "Enter a valid email address." });
  const keys = [...emailKeys(CODES_PER_EMAIL, context, email), ...addressKeys(request)];
  await refuseWhenLimited(context.env.DB, keys);
  // Every request counts, sent or not, so asking cannot be used to flood an inbox nor to probe the invite list.
  await recordFailure(context.env.DB, keys);
  // A code goes to the owner always, to others as the environment's rule says.
  if ((await rolesAtSignIn(context, email)) !== null) {
    const code = await issueCode(context.env.DB, { appId: context.app.id, environment: context.environment, email });
    const link = new URL(`${KILN_PATH}sign-in/code`, context.url);
    link.search = new URLSearchParams({ email, code, next }).toString();
    await sendMail(context.env, {
      appId: context.app.id,
      to: email,
      subject: `Your code for ${context.app.name}: ${code}`,
      text: `Your sign-in code for ${context.app.name} is ${code}. It works once, for 10 minutes.\n\nOr open: ${link}\n\nIf you did not ask for it, ignore this mail.`,
    });
  }
  // The same answer whether or not a code was sent: the page never tells who may use the app.
  return codeStep(context, email, next, {
    notice: `If ${email} may use ${context.app.name}, a 6-digit code is on its way. It works once, for 10 minutes.`,
  });
}

async function checkCode(context: SignInContext, request: Request, form: FormData): Promise<Response> {
  const next = safeNext(String(form.get("next") ?? ""));
  const email = String(form.get("email") ?? "")
    .trim()
    .toLowerCase();
  const code = String(form.get("code") ?? "").replace(/\s+/g, "");
  const keys = [...emailKeys(WRONG_CODES_PER_EMAIL, context, email), ...addressKeys(request)];
  await refuseWhenLimited(context.env.DB, keys);
  const target = { appId: context.app.id, environment: context.environment, email };
  const redeemed = EMAIL.test(email) && /^\d{6}$/.test(code) && (await redeemCode(context.env.DB, target, code));
  if (!redeemed) {
    await recordFailure(context.env.DB, keys);
    return codeStep(context, email, next, {
      error: "That code is wrong, was already used, or has expired. Check the latest mail, or ask for a new code.",
      status: 400,
    });
  }
  // The rule may have changed since the code was sent: check again before starting a session.
  const roles = await rolesAtSignIn(context, email);
  if (roles === null) return visitorPage(403, "You do not have access", `${email} may not use ${context.app.name}.`);
  return signedIn(context, email, roles, next);
}

async function ownerEntry(context: SignInContext, url: URL): Promise<Response> {
  const place = { appId: context.app.id, environment: context.environment };
  const email = await redeemHandoff(context.env.DB, place, url.searchParams.get("token") ?? "");
  if (email === null || email !== context.ownerEmail)
    return visitorPage(
      403,
      "This link has expired",
      "Links from the workspace work once, for two minutes. Open the app from the workspace again.",
    );
  // The workspace's preview frame asks for the partitioned cookie a cross-site frame can keep (see visitor-cookie).
  const where = url.searchParams.get("embed") === "1" ? "embedded" : "top";
  return signedIn(context, email, [OWNER_ROLE], safeNext(url.searchParams.get("next")), where);
}

async function signOut(context: SignInContext, request: Request): Promise<Response> {
  if (request.method !== "POST")
    return new Response(
      `<!doctype html><form method="post" action="${KILN_PATH}sign-out"><button type="submit">Sign out of ${escapeHtml(context.app.name)}</button></form>`,
      { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } },
    );
  const found = visitorToken(request);
  if (found) {
    const tokenHash = await sessionTokenHash(found.token);
    await appDataStore(context.env, context.app, context.environment).endVisitorSessions({ tokenHash });
  }
  return new Response(null, {
    status: 303,
    headers: [
      ["location", "/"],
      ["set-cookie", visitorCookie(context.url, null, "top")],
      ["set-cookie", visitorCookie(context.url, null, "embedded")],
      ["cache-control", "no-store"],
    ],
  });
}

function emailKeys(rule: AttemptRule, context: SignInContext, email: string): AttemptKey[] {
  return [{ rule, value: `${context.app.id}:${email}` }];
}

// A form posted from another site is refused: the sign-in forms act only for pages of this very host.
function sameOrigin(request: Request, url: URL): boolean {
  const origin = request.headers.get("origin");
  return origin === null || origin === url.origin;
}
