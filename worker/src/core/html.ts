// Text into HTML, for the few pages Kiln writes by hand (visitor sign-in, OAuth consent): one escaping rule for all.

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
