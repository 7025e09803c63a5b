// The page layout: one clean, readable HTML shell for every screen.
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

const STYLE = `
  body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; background: #f6f7f9; color: #1d2330; }
  main { max-width: 880px; margin: 0 auto; padding: 32px 20px 64px; }
  h1 { font-size: 1.8rem; margin: 0 0 4px; } p.lead { color: #5b6475; margin: 0 0 24px; }
  section { background: #fff; border: 1px solid #e3e6eb; border-radius: 10px; padding: 20px; margin-bottom: 20px; }
  table { width: 100%; border-collapse: collapse; } th, td { text-align: left; padding: 8px; border-bottom: 1px solid #eef0f3; }
  th { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: #5b6475; }
  form.inline { display: inline; } label { display: block; margin: 8px 0 4px; font-weight: 600; font-size: .9rem; }
  input[type=text], input[type=number], input[type=date], input[type=email] { width: 100%; box-sizing: border-box; padding: 8px; border: 1px solid #cfd4dc; border-radius: 6px; }
  button { background: #2f5bea; color: #fff; border: 0; border-radius: 6px; padding: 8px 14px; cursor: pointer; margin-top: 12px; }
  button.link { background: none; color: #b3261e; padding: 0; margin: 0; }
  .empty { color: #5b6475; }
`;

/** A full page with the app's title and the given body. */
export function page(title: string, lead: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${raw(STYLE)}</style></head>
<body><main><h1>${title}</h1><p class="lead">${lead}</p>${body}</main></body></html>`;
}
