import { escapeHtml } from "../core/html";
import { REQUEST_ID_HEADER } from "../core/headers";
/** A small HTML page for visitors of app hosts: never contains internals such as stack traces. */
export function visitorPage(status: number, title: string, message: string, requestId?: string): Response {
  const reference = requestId ? `<p class="ref">Reference: <code>${escapeHtml(requestId)}</code></p>` : "";
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1.5rem;color:#222}
h1{font-size:1.5rem}.ref{color:#666;font-size:.9rem}code{background:#f3f3f3;padding:.1rem .3rem;border-radius:3px}</style>
</head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${reference}</body></html>`;
  const headers = new Headers({ "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  if (requestId) headers.set(REQUEST_ID_HEADER, requestId);
  return new Response(html, { status, headers });
}

/** The page of a request turned away because its app had too many in progress: the visitor may retry soon. */
export function busyPage(requestId: string): Response {
  return retryLater(
    visitorPage(503, "This app is busy", "It is handling too many requests at once. Try again in a moment.", requestId),
  );
}

/** The page of a request cut short because the runner restarted under it: the app is back in seconds. */
export function restartingPage(requestId: string): Response {
  return retryLater(
    visitorPage(
      503,
      "This app is restarting",
      "Something stopped it while it handled your request. Try again in a moment.",
      requestId,
    ),
  );
}

function retryLater(page: Response): Response {
  page.headers.set("retry-after", "2");
  return page;
}

/** Escapes text for HTML element content and attribute values (defined in core, so OAuth pages share it). */
export { escapeHtml };
