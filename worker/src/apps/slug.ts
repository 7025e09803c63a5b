// Names a visitor might mistake for the platform itself.
const RESERVED = new Set(["www", "api", "app", "apps", "admin", "kiln", "preview", "static", "assets", "mail"]);

/** A DNS-label-safe slug from an app name: lower case, digits and single dashes, ≤ 40 chars. */
export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  if (base === "" || RESERVED.has(base)) return `app-${base || "new"}`.replace(/-$/, "");
  return base;
}

/** A slug with a short random suffix, for when the plain one is taken. */
export function slugWithSuffix(slug: string): string {
  const suffix = Math.random().toString(36).slice(2, 6).padEnd(4, "0");
  return `${slug.slice(0, 35)}-${suffix}`;
}
