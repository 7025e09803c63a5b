// What every sign-in step of an app host shares: the app and its owner, who the environment's rule admits and with
// which roles, the session that sign-in starts, and where the browser may be sent back to.
import type { AppRecord } from "../core/records";
import { findAppBySlug } from "../apps/app-repository";
import type { AttemptKey, AttemptRule } from "../auth/attempt-limit";
import type { Env, Environment } from "../core/env";
import { maySignIn } from "../serving/access-rule";
import { type CookieContext, KILN_PATH, visitorCookie } from "../serving/visitor-cookie";
import { findInvited, readAccess } from "./access-store";
import { OWNER_ROLE, startVisitorSession } from "./visitor-session";

/** Codes asked for and wrong codes from one client address, across emails and apps. */
export const PER_ADDRESS: AttemptRule = { scope: "visitor-ip", limit: 30, windowSeconds: 15 * 60 };

/** The app a sign-in request is for, with who owns it and its rules. */
export interface SignInContext {
  env: Env;
  app: AppRecord;
  ownerEmail: string;
  environment: Environment;
  url: URL;
}

/** The app of an app host, with its owner's email (the owner signs in with the role `owner`). */
export async function findAppWithOwner(
  db: D1Database,
  slug: string,
): Promise<{ app: AppRecord; ownerEmail: string } | null> {
  const app = await findAppBySlug(db, slug);
  if (!app) return null;
  const owner = await db.prepare("SELECT email FROM users WHERE id = ?").bind(app.ownerId).first<{ email: string }>();
  return owner ? { app, ownerEmail: owner.email } : null;
}

/** The roles `email` signs in with now, or null when the environment's rule does not admit them. */
export async function rolesAtSignIn(context: SignInContext, email: string): Promise<string[] | null> {
  if (email === context.ownerEmail) return [OWNER_ROLE];
  const [access, invited] = await Promise.all([
    readAccess(context.env.DB, context.app.id),
    findInvited(context.env.DB, context.app.id, email),
  ]);
  if (!maySignIn(access[context.environment], email, invited !== null)) return null;
  return invited?.roles ?? [];
}

/** Starts a session for `email` and sends the browser on to `next` with its cookie (`embedded`: the workspace frame's). */
export async function signedIn(
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

// Behind Cloudflare the client's address is known; locally no proxy names it, so only the per-email counts apply.
export function addressKeys(request: Request): AttemptKey[] {
  const address = request.headers.get("cf-connecting-ip");
  return address ? [{ rule: PER_ADDRESS, value: address }] : [];
}

/** Where to go after signing in: a path on this host only (never `//elsewhere` or a full URL), else `/`. */
export function safeNext(next: string | null): string {
  if (next === `${KILN_PATH}passkeys`) return next;
  // An MCP client's authorization request resumes after sign-in (mcp-oauth/oauth-pages.ts checks it afresh).
  if (next?.startsWith(`${KILN_PATH}oauth/authorize?`)) return next;
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.startsWith(KILN_PATH))
    return "/";
  return next;
}
