import type { AppRecord } from "../api/context";
import { findAppBySlug } from "../apps/app-repository";
import {
  type AttemptKey,
  type AttemptRule,
  TooManyAttemptsError,
  recordFailure,
  refuseWhenLimited,
} from "../auth/attempt-limit";
import { appDataStore } from "../data/app-data-store-stub";
import type { Env, Environment } from "../env";
import { sendMail } from "../mail/mailer";
import { SmtpError } from "../mail/smtp";
import { maySignIn } from "../serving/access-rule";
import { escapeHtml, visitorPage } from "../serving/pages";
import {
  type CookieContext,
  KILN_PATH,
  sessionTokenHash,
  visitorCookie,
  visitorToken,
} from "../serving/visitor-cookie";
import { findInvited, readAccess } from "./access-store";
import {
  GOOGLE_FLOW_TTL_MS,
  GOOGLE_PROBLEMS,
  type GoogleProblem,
  googleSignInAvailable,
  startGoogleSignIn,
} from "./google-sign-in";
import { issueCode, redeemCode, redeemHandoff } from "./sign-in-codes";
import { signInPage } from "./sign-in-page";
import { OWNER_ROLE, startVisitorSession } from "./visitor-session";

/** Codes one email may ask for on one app host in a window: enough for a lost mail, too few to flood an inbox. */
const CODES_PER_EMAIL: AttemptRule = { scope: "visitor-code-email", limit: 5, windowSeconds: 15 * 60 };
/** Wrong codes for one email on one app host before it must wait: 5 guesses of a million. */
const WRONG_CODES_PER_EMAIL: AttemptRule = { scope: "visitor-wrong-email", limit: 5, windowSeconds: 15 * 60 };
/** Codes asked for and wrong codes from one client address, across emails and apps. */
const PER_ADDRESS: AttemptRule = { scope: "visitor-ip", limit: 30, windowSeconds: 15 * 60 };

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;

/** The app a sign-in request is for, with who owns it and its rules. */
interface SignInContext {
  env: Env;
  app: AppRecord;
  ownerEmail: string;
  environment: Environment;
  url: URL;
}

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

// Starts "Sign in with Google": the flow's state also goes in a cookie on this host, so only the browser that
// started it can finish it here (nobody can sign a visitor in as someone else with a link).
async function googleStart(context: SignInContext, request: Request): Promise<Response> {
  if (!googleSignInAvailable(context.env))
    return visitorPage(404, "Not available", "This Kiln does not offer Google sign-in. Sign in with your email.");
  const keys = addressKeys(request);
  await refuseWhenLimited(context.env.DB, keys);
  await recordFailure(context.env.DB, keys);
  const next = safeNext(context.url.searchParams.get("next"));
  const started = await startGoogleSignIn(context.env, { app: context.app, environment: context.environment, next });
  return new Response(null, {
    status: 303,
    headers: {
      location: started.authorizationUrl,
      "set-cookie": googleStateCookie(context.url, started.state),
      "cache-control": "no-store",
    },
  });
}

async function googleDone(context: SignInContext, request: Request): Promise<Response> {
  const { url } = context;
  const state = url.searchParams.get("state") ?? "";
  if (state === "" || cookieValue(request, googleStateCookieName(url)) !== state)
    return visitorPage(
      403,
      "Start again in this browser",
      "This Google sign-in was started elsewhere. Open the app and choose “Sign in with Google” again.",
    );
  const place = { appId: context.app.id, environment: context.environment };
  const email = await redeemHandoff(context.env.DB, place, url.searchParams.get("token") ?? "");
  if (email === null)
    return visitorPage(403, "This sign-in has expired", "Open the app and choose “Sign in with Google” again.");
  const roles = await rolesAtSignIn(context, email);
  if (roles === null) return visitorPage(403, "You do not have access", `${email} may not use ${context.app.name}.`);
  const response = await signedIn(context, email, roles, safeNext(url.searchParams.get("next")));
  response.headers.append("set-cookie", googleStateCookie(url, null));
  return response;
}

function googleStateCookieName(url: URL): string {
  return url.protocol === "https:" ? "__Secure-kiln_google_state" : "kiln_google_state";
}

// Only under /_kiln/ (apps never see it), for the ten minutes a flow lives.
function googleStateCookie(url: URL, state: string | null): string {
  const secure = url.protocol === "https:" ? "; Secure" : "";
  const age = state ? GOOGLE_FLOW_TTL_MS / 1000 : 0;
  return `${googleStateCookieName(url)}=${state ?? ""}; Path=${KILN_PATH}; HttpOnly; SameSite=Lax; Max-Age=${age}${secure}`;
}

function cookieValue(request: Request, name: string): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return null;
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

async function signedIn(
  context: SignInContext,
  email: string,
  roles: string[],
  next: string,
  where: CookieContext = "top",
): Promise<Response> {
  const token = await startVisitorSession(context.env, context.app, context.environment, email, roles);
  return new Response(null, {
    status: 303,
    headers: { location: next, "set-cookie": visitorCookie(context.url, token, where), "cache-control": "no-store" },
  });
}

/** The roles `email` signs in with now, or null when the environment's rule does not admit them. */
async function rolesAtSignIn(context: SignInContext, email: string): Promise<string[] | null> {
  if (email === context.ownerEmail) return [OWNER_ROLE];
  const [access, invited] = await Promise.all([
    readAccess(context.env.DB, context.app.id),
    findInvited(context.env.DB, context.app.id, email),
  ]);
  if (!maySignIn(access[context.environment], email, invited !== null)) return null;
  return invited?.roles ?? [];
}

async function findAppWithOwner(db: D1Database, slug: string): Promise<{ app: AppRecord; ownerEmail: string } | null> {
  const app = await findAppBySlug(db, slug);
  if (!app) return null;
  const owner = await db.prepare("SELECT email FROM users WHERE id = ?").bind(app.ownerId).first<{ email: string }>();
  return owner ? { app, ownerEmail: owner.email } : null;
}

function emailKeys(rule: AttemptRule, context: SignInContext, email: string): AttemptKey[] {
  return [{ rule, value: `${context.app.id}:${email}` }];
}

// Behind Cloudflare the client's address is known; locally no proxy names it, so only the per-email counts apply.
function addressKeys(request: Request): AttemptKey[] {
  const address = request.headers.get("cf-connecting-ip");
  return address ? [{ rule: PER_ADDRESS, value: address }] : [];
}

// A form posted from another site is refused: the sign-in forms act only for pages of this very host.
function sameOrigin(request: Request, url: URL): boolean {
  const origin = request.headers.get("origin");
  return origin === null || origin === url.origin;
}

/** Where to go after signing in: a path on this host only (never `//elsewhere` or a full URL), else `/`. */
export function safeNext(next: string | null): string {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.startsWith(KILN_PATH))
    return "/";
  return next;
}
