// Stripe's request encoding, read the way Stripe reads it: a flat
// application/x-www-form-urlencoded list whose keys carry nesting in brackets
// (`address[city]=Paris`, `items[0][price]=price_1`, `expand[]=customer`).

/** A decoded parameter: a string leaf, a list, or a nested hash. */
export type FormValue = string | FormValue[] | FormHash;

/** A decoded hash of parameters (the whole body, or a nested param). */
export interface FormHash {
  [key: string]: FormValue;
}

/** Thrown for keys Stripe could not parse; the server turns it into a 400. */
export class FormDecodingError extends Error {
  readonly key: string;
  constructor(key: string, message: string) {
    super(message);
    this.name = "FormDecodingError";
    this.key = key;
  }
}

/** Decodes a form body or query string (without the leading `?`) into nested params. */
export function decodeForm(encoded: string): FormHash {
  const root: FormHash = {};
  for (const [key, value] of new URLSearchParams(encoded)) {
    const path = splitKey(key);
    assign(root, path, value, key);
  }
  return listify(root, []) as FormHash;
}

/** `items[0][price]` → ["items", "0", "price"]; `expand[]` → ["expand", ""]. */
function splitKey(key: string): string[] {
  const open = key.indexOf("[");
  if (open === -1) return [key];
  const head = key.slice(0, open);
  const rest = key.slice(open);
  const segments: string[] = [];
  const pattern = /\[([^[\]]*)\]/gy;
  let consumed = 0;
  for (let match = pattern.exec(rest); match !== null; match = pattern.exec(rest)) {
    segments.push(match[1] ?? "");
    consumed = pattern.lastIndex;
  }
  if (head === "" || consumed !== rest.length) {
    throw new FormDecodingError(key, `Invalid parameter name: ${key}`);
  }
  return [head, ...segments];
}

/** Writes one value at `path`, creating hashes on the way; `[]` appends to a list. */
function assign(target: FormHash, path: string[], value: string, key: string): void {
  let node: FormHash = target;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] ?? "";
    const last = i === path.length - 1;
    // An empty segment (`expand[]`) means "next index": number it from what is there.
    const name = segment === "" ? String(Object.keys(node).length) : segment;
    if (last) {
      if (typeof node[name] === "object")
        throw new FormDecodingError(key, `Invalid parameter: ${key} is both a value and a hash`);
      node[name] = value;
      return;
    }
    const existing = node[name];
    if (existing === undefined) {
      const child: FormHash = {};
      node[name] = child;
      node = child;
    } else if (typeof existing === "string" || Array.isArray(existing)) {
      throw new FormDecodingError(key, `Invalid parameter: ${key} is both a value and a hash`);
    } else {
      node = existing;
    }
  }
}

/**
 * Hashes whose keys are all indexes (`0`, `1`, …) become lists, as Stripe reads
 * `items[0][price]`. Metadata stays a hash whatever its keys look like.
 */
function listify(value: FormValue, path: string[]): FormValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const inMetadata = path[path.length - 1] === "metadata";
  const result: FormHash = {};
  for (const key of keys) result[key] = listify(value[key] as FormValue, [...path, key]);
  if (inMetadata || keys.length === 0 || !keys.every((key) => /^(0|[1-9]\d*)$/.test(key))) return result;
  return keys
    .map(Number)
    .sort((a, b) => a - b)
    .map((index) => result[String(index)] as FormValue);
}
