// The `fields` parameter (a partial-response field mask) as Google reads it: "nextPageToken,files(id,name)",
// "sheets.properties.title", "files/id", "*". Run by Node (type stripping), so erasable TypeScript only.

/** A parsed mask: per field, `true` (all of it) or the mask of its sub-fields. */
export type FieldMask = Map<string, FieldMask | true>;

/** Splits `text` at top-level commas (not inside parentheses). */
function topLevel(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === "(") depth += 1;
    else if (text[i] === ")") depth -= 1;
    else if (text[i] === "," && depth === 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) return [];
  }
  items.push(text.slice(start));
  return depth === 0 ? items.map((item) => item.trim()).filter(Boolean) : [];
}

function merge(into: FieldMask, path: string[], inner: FieldMask | true): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    const existing = into.get(head);
    if (existing === true || inner === true || existing === undefined) into.set(head, existing === true ? true : inner);
    else for (const [name, value] of inner) merge(existing, [name], value);
    return;
  }
  let next = into.get(head);
  if (next === true) return;
  if (next === undefined) {
    next = new Map();
    into.set(head, next);
  }
  merge(next, rest, inner);
}

/** The mask in `text`, or null when it does not parse (Google answers 400 "Invalid field selection"). */
export function parseFieldMask(text: string): FieldMask | null {
  const mask: FieldMask = new Map();
  const items = topLevel(text);
  if (items.length === 0) return null;
  for (const item of items) {
    const match = /^([\w.*/]+)\s*(?:\((.*)\))?$/s.exec(item);
    if (!match) return null;
    const path = (match[1] as string).split(/[./]/);
    if (path.some((part) => part === "")) return null;
    let inner: FieldMask | true = true;
    if (match[2] !== undefined) {
      const parsed = parseFieldMask(match[2]);
      if (parsed === null) return null;
      inner = parsed;
    }
    merge(mask, path, inner);
  }
  return mask;
}

/** `value` cut down to the mask (arrays: each element). */
export function applyFieldMask(value: unknown, mask: FieldMask | true): unknown {
  if (mask === true || value === null || typeof value !== "object") return value;
  if (mask.get("*") === true) return value;
  if (Array.isArray(value)) return value.map((item) => applyFieldMask(item, mask));
  const result: Record<string, unknown> = {};
  for (const [name, inner] of mask) {
    const field = (value as Record<string, unknown>)[name];
    if (field !== undefined) result[name] = applyFieldMask(field, inner);
  }
  return result;
}
