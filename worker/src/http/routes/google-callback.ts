import { Hono } from "hono";
import type { PlatformContext } from "../context";
import { findAppSlug } from "../../apps/app-repository";
import { appUrl } from "../../placement/app-urls";
import { visitorPage } from "../../serving/pages";
import { KILN_PATH } from "../../serving/visitor-cookie";
import { finishGoogleSignIn } from "../../access/google-sign-in";
import { issueHandoff } from "../../access/sign-in-codes";

/**
 * `GET /api/visitor-auth/google/callback` (public): where Google returns a visitor who chose "Sign in with Google"
 * on an app's sign-in page. Kiln's host finishes the flow, then hands the verified email to the app's own host with
 * a one-time token; that host checks the browser started the flow and the app's rule before any session starts.
 */
export const googleCallbackRoutes = new Hono<PlatformContext>().get("/google/callback", async (c) => {
  const url = new URL(c.req.url);
  const result = await finishGoogleSignIn(c.env, url);
  const slug = result.appId === null ? null : await findAppSlug(c.env.DB, result.appId);
  if (slug === null || result.environment === null)
    return visitorPage(
      400,
      "This sign-in has expired",
      "It took too long or was already used. Go back to the app and choose “Sign in with Google” again.",
    );
  const home = appUrl(c.env, slug, result.environment);
  if (!result.ok) {
    const back = new URL(`${KILN_PATH}sign-in`, home);
    back.search = new URLSearchParams({ next: result.next, google: result.problem }).toString();
    return c.redirect(back.toString(), 303);
  }
  const token = await issueHandoff(c.env.DB, {
    appId: result.appId,
    environment: result.environment,
    email: result.email,
  });
  const done = new URL(`${KILN_PATH}sign-in/google/done`, home);
  done.search = new URLSearchParams({
    token,
    next: result.next,
    state: url.searchParams.get("state") ?? "",
  }).toString();
  return c.redirect(done.toString(), 303);
});
