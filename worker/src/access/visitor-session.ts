import type { AppRecord } from "../core/records";
import { appDataStore } from "../data/app-data-store-stub";
import type { Visitor } from "../data/visitor-sessions";
import type { Env, Environment } from "../core/env";
import { newSecret, sha256Hex } from "../core/ids";
import { VISITOR_SESSION_SECONDS, sessionTokenHash } from "../serving/visitor-cookie";

/** The role every session of the app's owner carries; it passes every rule and every role check. */
export const OWNER_ROLE = "owner";

/** A visitor's id: stable per app and email, so rows an app scopes to a visitor survive new sessions. */
export async function visitorId(appId: string, email: string): Promise<string> {
  return `vis_${(await sha256Hex(`visitor:${appId}:${email}`)).slice(0, 20)}`;
}

/**
 * Starts a session for `email` on one environment of `app` and answers its token (for the cookie). Only the token's
 * hash is stored, in the app environment's own database, where the serving path checks it without a call back here.
 */
export async function startVisitorSession(
  env: Env,
  app: Pick<AppRecord, "id" | "slug">,
  environment: Environment,
  email: string,
  roles: string[],
): Promise<string> {
  const token = newSecret(32);
  const visitor: Visitor = { id: await visitorId(app.id, email), email, roles };
  const expiresAt = Date.now() + VISITOR_SESSION_SECONDS * 1000;
  await appDataStore(env, app, environment).startVisitorSession(await sessionTokenHash(token), visitor, expiresAt);
  return token;
}
