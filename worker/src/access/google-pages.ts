// "Sign in with Google" on an app host: the start (to Google, with the flow bound to this browser) and the end
// (after Kiln's callback on its own host verified who the visitor is). google-sign-in.ts holds the OAuth side.
import { recordFailure, refuseWhenLimited } from "../auth/attempt-limit";
import { visitorPage } from "../serving/pages";
import { KILN_PATH, cookieValue } from "../serving/visitor-cookie";
import { GOOGLE_FLOW_TTL_MS, googleSignInAvailable, startGoogleSignIn } from "./google-sign-in";
import { type SignInContext, addressKeys, rolesAtSignIn, safeNext, signedIn } from "./sign-in-context";
import { redeemHandoff } from "./sign-in-codes";
import { GOOGLE_STATE_COOKIE } from "../core/cookies";

// Starts "Sign in with Google": the flow's state also goes in a cookie on this host, so only the browser that
// started it can finish it here (nobody can sign a visitor in as someone else with a link).
export async function googleStart(context: SignInContext, request: Request): Promise<Response> {
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

/** Google's flow is done (Kiln's callback checked the code): start the session if the rule admits that email. */
export async function googleDone(context: SignInContext, request: Request): Promise<Response> {
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
  return url.protocol === "https:" ? `__Secure-${GOOGLE_STATE_COOKIE}` : GOOGLE_STATE_COOKIE;
}

// Only under /_kiln/ (apps never see it), for the ten minutes a flow lives.
function googleStateCookie(url: URL, state: string | null): string {
  const secure = url.protocol === "https:" ? "; Secure" : "";
  const age = state ? GOOGLE_FLOW_TTL_MS / 1000 : 0;
  return `${googleStateCookieName(url)}=${state ?? ""}; Path=${KILN_PATH}; HttpOnly; SameSite=Lax; Max-Age=${age}${secure}`;
}
