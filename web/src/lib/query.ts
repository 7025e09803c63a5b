// Links that change a page's query string (filters, sorting, paging) while keeping the rest.

/** `url`'s path and query with some parameters changed; "" or null removes one (as do blank ones). Always starts with "?" or "/". */
export function withQuery(url: URL, changes: Record<string, string | number | null>): string {
  const q = new URLSearchParams(url.search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === "") q.delete(key);
    else q.set(key, String(value));
  }
  // Blank filters from a GET form (`env=`) say nothing: keep links short.
  for (const [key, value] of [...q.entries()]) if (value === "") q.delete(key);
  const s = q.toString();
  return s ? `?${s}` : url.pathname;
}

/** A form `action` that posts to SvelteKit action `name` while keeping the page's query (`?env=live&table=x&/save`). */
export function actionUrl(url: URL, name: string): string {
  const q = url.searchParams.toString();
  return q ? `?${q}&/${name}` : `?/${name}`;
}
