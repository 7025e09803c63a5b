// Fetch Metadata (W3C) checks of a consent page. On an app host the consent page shares its origin with the app, whose
// scripts could otherwise read it (and its CSRF token) and post Allow as the visitor. A browser marks what a script
// cannot fake: a top-level navigation (`Sec-Fetch-Mode: navigate`, `Sec-Fetch-Dest: document`) and a person's click
// (`Sec-Fetch-User: ?1`); a fetch, an iframe or a programmatic form.submit() lacks them.

/** Whether the browser is showing this page itself, as a tab or window: no script's fetch and no frame can read it. */
export function isTopLevelNavigation(request: Request): boolean {
  return request.headers.get("sec-fetch-mode") === "navigate" && request.headers.get("sec-fetch-dest") === "document";
}

/** Whether a POST is a person's click on a form of this very origin, shown as a top-level page. */
export function isUserSubmission(request: Request): boolean {
  return (
    isTopLevelNavigation(request) &&
    request.headers.get("sec-fetch-site") === "same-origin" &&
    request.headers.get("sec-fetch-user") === "?1"
  );
}

/** The page shown instead of the consent form, or instead of a grant, to anything but a person in a browser tab. */
export function notInBrowserTab(posted: boolean): Response {
  const message = posted
    ? "Access is granted only when you click Allow on the consent page yourself, in a browser tab. Start again from your assistant."
    : "The consent page opens only as a page of its own in a browser tab, not inside another page or from a script. Start again from your assistant.";
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Open this page in your browser</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1.5rem;color:#222}</style>
</head><body><h1>Open this page in your browser</h1><p>${message}</p></body></html>`;
  return new Response(html, {
    status: 403,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      "x-frame-options": "DENY",
    },
  });
}
