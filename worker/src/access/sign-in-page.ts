import { escapeHtml } from "../serving/pages";

/**
 * CSP of Kiln's pages on an app host: no app code runs there, only Kiln's same-origin passkey script, calling only
 * this host; nothing may frame them (a framed sign-in form invites clickjacking).
 */
export const KILN_PAGE_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

/** What one sign-in page shows: the step, the app's name, what to keep in hidden fields, and an error if any. */
export interface SignInPage {
  step: "email" | "code";
  appName: string;
  next: string;
  email?: string;
  code?: string;
  notice?: string;
  error?: string;
  status?: number;
  /** Where the app's owner enters through Kiln instead (the workspace's one-time link), when Kiln's URL is known. */
  ownerLink?: string;
  /** Whether to offer "Sign in with Google" (the operator registered a Google client). */
  google?: boolean;
}

/** Kiln's own sign-in page on an app host: plain HTML (one same-origin script, for passkeys), alike on every app. */
export function signInPage(page: SignInPage): Response {
  const title = `Sign in to ${page.appName}`;
  const next = `<input type="hidden" name="next" value="${escapeHtml(page.next)}">`;
  const form =
    page.step === "email"
      ? `<form method="post" action="/_kiln/sign-in">${next}
<label>Your email <input type="email" name="email" required autocomplete="email" autofocus value="${escapeHtml(page.email ?? "")}"></label>
<button type="submit">Email me a code</button></form>${
          page.google
            ? `<p class="or">or</p><p><a class="button" href="/_kiln/sign-in/google?next=${encodeURIComponent(page.next)}">Sign in with Google</a></p>`
            : ""
        }
<p><button type="button" id="passkey-sign-in" data-next="${escapeHtml(page.next)}" hidden>Sign in with a passkey</button></p>
<p id="passkey-status" role="status"></p>`
      : `<form method="post" action="/_kiln/sign-in/code">${next}
<input type="hidden" name="email" value="${escapeHtml(page.email ?? "")}">
<label>The 6-digit code <input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,8}" required autofocus value="${escapeHtml(page.code ?? "")}"></label>
<button type="submit">Sign in</button></form>
<p class="small"><a href="/_kiln/sign-in?next=${encodeURIComponent(page.next)}">Use another email</a></p>`;
  const notice = page.notice ? `<p>${escapeHtml(page.notice)}</p>` : "";
  const error = page.error ? `<p class="error" role="alert">${escapeHtml(page.error)}</p>` : "";
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:15vh auto;padding:0 1.5rem;color:#222}
h1{font-size:1.4rem}label{display:block;margin:1rem 0 .5rem}input{display:block;width:100%;padding:.5rem;margin-top:.3rem;font-size:1rem;box-sizing:border-box}
button,.button{padding:.55rem 1rem;font-size:1rem}.button{display:inline-block;border:1px solid #888;border-radius:4px;color:#222;text-decoration:none}.or{color:#555}.error{color:#a40000}.small{font-size:.9rem;color:#555}</style>
</head><body><h1>${escapeHtml(title)}</h1>${notice}${error}${form}
${page.ownerLink ? `<p class="small">Your app? <a href="${escapeHtml(page.ownerLink)}">Open it from Kiln</a>, signed in as its owner.</p>` : ""}
<p class="small">Sign-in is provided by Kiln, which hosts this app.</p>
<script src="/_kiln/passkey.js" defer></script></body></html>`;
  return new Response(html, {
    status: page.status ?? 200,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": KILN_PAGE_CSP,
    },
  });
}
