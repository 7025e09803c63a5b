// A visitor of an app host in the workerd tests: raw requests (redirects not followed), Kiln's sign-in forms as a
// browser posts them, and the whole emailed-code sign-in through the local outbox.
import { SELF } from "cloudflare:test";
import type { TestUser } from "./api-client";

/** One request to an app host, redirects left as they are. */
export async function hit(url: string, init: RequestInit = {}) {
  const response = await SELF.fetch(url, { redirect: "manual", ...init });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A form posted from a page of the URL's own host (its Origin), as Kiln's sign-in pages post. */
export function form(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return hit(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(url).origin, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The code in the newest outbox mail to `email` about the app, or null when none was sent. */
export async function latestCode(user: TestUser, appId: string, email: string): Promise<string | null> {
  const outbox = await user.call("GET", `/api/apps/${appId}/outbox`);
  const mail = (outbox.body.mails as { to: string; subject: string }[]).find((m) => m.to === email);
  return mail ? /(\d{6})$/.exec(mail.subject)![1]! : null;
}

/**
 * Signs `email` in on the app host of `hostUrl` (its preview or live URL) with an emailed code; answers the
 * sign-in's last response, whose `set-cookie` holds the session.
 */
export async function signInWithCode(user: TestUser, appId: string, hostUrl: string, email: string) {
  await form(`${hostUrl}_kiln/sign-in`, { email, next: "/" });
  const code = await latestCode(user, appId, email);
  if (code === null) throw new Error(`no code was sent to ${email}`);
  return form(`${hostUrl}_kiln/sign-in/code`, { email, code, next: "/" });
}
