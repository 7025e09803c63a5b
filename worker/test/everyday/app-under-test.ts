// An app built from an everyday request, used as its owner and its visitors would: pages and forms on the live host,
// its automations run by hand, Stripe events sent to it. Works against any Kiln that has the API it calls.
import { SELF } from "cloudflare:test";
import { type TestUser, ownerCookie } from "../api-client";
import { deliverStripeEvent, stripeWebhookPath } from "../template-stripe";
import { filledForm, findForm, type PageForm, textOf } from "./html-forms";

/** A built and published app, and its owner's session on the live host. */
export interface AppUnderTest {
  user: TestUser;
  id: string;
  liveUrl: string;
  ownerCookie: string;
}

/** Who makes a request: the owner (signed in on the app host) or a stranger. */
export type Visitor = "owner" | "stranger";

/** A page as the visitor gets it (redirects followed on the app's own host, as a browser would). */
export interface Page {
  status: number;
  url: string;
  html: string;
}

/** Publishes the app's preview version and signs its owner in on the live host. */
export async function published(user: TestUser, appId: string): Promise<AppUnderTest> {
  const app = (await user.call("GET", `/api/apps/${appId}`)).body as { previewVersion: string; liveUrl: string };
  const publish = await user.call("POST", `/api/apps/${appId}/publish`, { version: app.previewVersion });
  if (publish.status !== 200) throw new Error(`publishing failed: ${publish.text}`);
  return { user, id: appId, liveUrl: app.liveUrl, ownerCookie: await ownerCookie(user, appId, app.liveUrl) };
}

/** GET a path of the live app. */
export function open(app: AppUnderTest, path: string, as: Visitor = "owner"): Promise<Page> {
  return request(app, new URL(path, app.liveUrl).toString(), { method: "GET" }, as);
}

/** Fills and sends a form of `page` as `as` would; answers the page the browser ends on. */
export function submit(
  app: AppUnderTest,
  page: Page,
  form: PageForm,
  answers: readonly [RegExp, string][],
  as: Visitor = "owner",
): Promise<Page> {
  const target = new URL(form.action || page.url, page.url);
  const body = filledForm(form, answers);
  if (form.method === "GET") {
    for (const [name, value] of body) target.searchParams.append(name, value);
    return request(app, target.toString(), { method: "GET" }, as);
  }
  return request(
    app,
    target.toString(),
    { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", origin: target.origin } },
    as,
  );
}

/**
 * The pages a person reaches from `path` by following the app's own links (at most `limit`), `path` first: where a
 * list or a form may be, whatever the app called its pages.
 */
export async function reachable(app: AppUnderTest, as: Visitor = "owner", path = "/", limit = 12): Promise<Page[]> {
  const seen = new Set<string>();
  const pages: Page[] = [];
  const queue = [new URL(path, app.liveUrl).toString()];
  while (queue.length > 0 && pages.length < limit) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const page = await request(app, url, { method: "GET" }, as);
    pages.push(page);
    for (const match of page.html.matchAll(/<a\b[^>]*\shref\s*=\s*["']([^"'#]+)["']/gi)) {
      const next = new URL(match[1]!, page.url);
      if (next.host !== new URL(app.liveUrl).host || next.pathname.startsWith("/_kiln/")) continue;
      if (/\.(csv|json|png|jpg|svg|css|js)$/i.test(next.pathname)) continue;
      if (!seen.has(next.toString())) queue.push(next.toString());
    }
  }
  return pages;
}

/** The text of every page a person reaches from "/" (see `reachable`). */
export async function siteText(app: AppUnderTest, as: Visitor = "owner"): Promise<string> {
  return (await reachable(app, as)).map((page) => textOf(page.html)).join("\n");
}

/**
 * Finds the form matching `patterns` on `path` or a page linked from it, and sends it: the usual "fill in the form".
 */
export async function useForm(
  app: AppUnderTest,
  path: string,
  patterns: RegExp[],
  answers: readonly [RegExp, string][],
  as: Visitor = "owner",
): Promise<Page> {
  for (const page of await reachable(app, as, path)) {
    const form = findForm(page.html, ...patterns);
    if (form) return submit(app, page, form, answers, as);
  }
  throw new Error(`no form with ${patterns.join(", ")} on ${path} or the pages it links to`);
}

async function request(app: AppUnderTest, url: string, init: RequestInit, as: Visitor): Promise<Page> {
  let target = url;
  let options: RequestInit = init;
  for (let hop = 0; hop < 5; hop++) {
    const headers = new Headers(options.headers);
    if (as === "owner") headers.set("cookie", app.ownerCookie);
    headers.set("accept", "text/html,application/json");
    const response = await SELF.fetch(target, { ...options, headers, redirect: "manual" });
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, target);
      await response.body?.cancel();
      // The app's own pages only: a redirect off the host (sign-in, Stripe) is where a browser would leave.
      if (next.host !== new URL(target).host || next.pathname.startsWith("/_kiln/"))
        return { status: response.status, url: next.toString(), html: "" };
      target = next.toString();
      options = { method: "GET" };
      continue;
    }
    return { status: response.status, url: target, html: await response.text() };
  }
  throw new Error(`too many redirects from ${url}`);
}

/** The automation whose name matches `pattern` (or the only one), run by hand on live; answers its finished run. */
export async function runAutomation(
  app: AppUnderTest,
  pattern: RegExp,
  input?: unknown,
): Promise<{ status: string; output: unknown; error: string | null }> {
  const overview = (await app.user.call("GET", `/api/apps/${app.id}/automations`)).body as {
    automations: { name: string }[];
  };
  const names = overview.automations.map((a) => a.name);
  const name = names.length === 1 ? names[0] : names.find((n) => pattern.test(n));
  if (!name) throw new Error(`no automation like ${pattern} (it has ${names.join(", ") || "none"})`);
  const started = await app.user.call(
    "POST",
    `/api/apps/${app.id}/automations/${encodeURIComponent(name)}/run?env=live`,
    input,
  );
  if (started.status !== 201) throw new Error(`running ${name} failed to start: ${started.text}`);
  const runId = started.body.run.id as string;
  for (let i = 0; i < 150; i++) {
    const run = (await app.user.call("GET", `/api/runs/${runId}`)).body.run as {
      status: string;
      output: unknown;
      error: string | null;
    };
    if (!["queued", "running", "retrying"].includes(run.status)) return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the run of ${name} did not finish`);
}

/** A Stripe event delivered to the app's live endpoint, signed as Stripe signs it (the owner pasted the secret). */
export async function stripeEvent(
  app: AppUnderTest,
  type: string,
  object: Record<string, unknown>,
): Promise<{ status: number; body: unknown }> {
  return deliverStripeEvent(await stripeWebhookPath(app.user, app.id, "live"), type, object);
}
