// Progressive disclosure of a connector's whole API, as Cloudflare's Code Mode MCP server does it: the context
// carries an index of resources; the model asks for the declarations it needs (`<lookup>`) before writing code.
// Pure text in, text out, so the bench can render the same index and answers in Node.
import type { ApiCatalog, ConnectorId } from "../../../connectors/types";

/** The most keys one lookup answers; more are named as left out. */
export const MAX_LOOKUP_KEYS = 12;
// One answer stays well under a model's attention for a single message; a resource with huge params is cut.
const MAX_ANSWER_CHARACTERS = 24_000;

/** Catalogs by connector, as the seed carries them. */
export type ApiCatalogs = Readonly<Partial<Record<ConnectorId, ApiCatalog>>>;

/** The index of one connector's API: a line per namespace of resources (`stripe.billing: alerts meters …`). */
export function apiIndex(catalog: ApiCatalog): string {
  const folded = catalog.folded ?? [];
  const lines = indexLines(catalog, (namespace) => !folded.some((f) => isWithin(namespace, f)));
  if (folded.length > 0) lines.push(`more (look one up to list it): ${folded.join(" ")}`);
  return lines.join("\n");
}

function indexLines(catalog: ApiCatalog, keep: (namespace: string) => boolean): string[] {
  const byNamespace = new Map<string, string[]>();
  for (const path of Object.keys(catalog.resources)) {
    const cut = path.lastIndexOf(".");
    const namespace = path.slice(0, cut);
    if (keep(namespace)) byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), path.slice(cut + 1)]);
  }
  return [...byNamespace].map(([namespace, names]) => `${namespace}: ${names.join(" ")}`);
}

const isWithin = (namespace: string, outer: string) => namespace === outer || namespace.startsWith(`${outer}.`);

/** The words that close a lookup answer, and what the model is told to do next. */
export interface LookupAnswer {
  /** The message Kiln sends the model. */
  text: string;
  /** Keys answered, and keys Kiln does not know (with no declaration to give). */
  found: string[];
  unknown: string[];
}

/**
 * Declarations for what the model asked: a resource (`stripe.charges`: its methods and its object), a method
 * (`stripe.charges.list`: signature, parameters, result) or a type (`Charge.Outcome`, `RangeQueryParam`).
 */
export function lookUpDeclarations(
  catalogs: ApiCatalogs,
  requested: readonly string[],
  shown: Set<string> = new Set(),
): LookupAnswer {
  const keys = [...new Set(requested.map(normalizeKey).filter((k) => k !== ""))];
  const found: string[] = [];
  const unknown: string[] = [];
  const blocks: string[] = [];
  for (const key of keys.slice(0, MAX_LOOKUP_KEYS)) {
    const block = declarationsFor(catalogs, key, shown);
    if (block === null) unknown.push(key);
    else {
      found.push(key);
      blocks.push(block);
    }
  }
  let body = blocks.join("\n\n");
  if (body.length > MAX_ANSWER_CHARACTERS)
    body = `${body.slice(0, body.lastIndexOf("\n", MAX_ANSWER_CHARACTERS))}\n// … (cut: ask for fewer or narrower keys)`;
  const notes: string[] = [];
  if (unknown.length > 0)
    notes.push(
      `Not found: ${unknown.map((k) => `${k}${suggestionFor(catalogs, k)}`).join("; ")}. Only what the index lists exists.`,
    );
  if (keys.length > MAX_LOOKUP_KEYS) notes.push(`Left out (ask again): ${keys.slice(MAX_LOOKUP_KEYS).join(" ")}.`);
  const text = [
    found.length > 0
      ? `Declarations (compact; your code is type-checked against the full ones):\n\`\`\`ts\n${body}\n\`\`\``
      : "None of those keys is in the API.",
    ...notes,
    "Now answer with the app's files (or one more <lookup>).",
  ].join("\n");
  return { text, found, unknown };
}

function normalizeKey(key: string): string {
  return key.trim().replace(/\(\)$/, "");
}

// `shown` holds the types already given in this turn: each is sent once, and named as given above after that.
function declarationsFor(catalogs: ApiCatalogs, asked: string, shown: Set<string>): string | null {
  // `kiln/stripe` (or plain `stripe`) is the connector's own module; `kiln/` before any other key is a slip.
  const key = asked.replace(/^kiln\//, "");
  const module = catalogs[key as ConnectorId]?.module;
  if (module !== undefined) {
    if (shown.has(`kiln/${key}`)) return `// kiln/${key}: given above`;
    // Its exports are given with it: a later key naming one is not repeated.
    for (const name of [`kiln/${key}`, ...module.matchAll(exportedName)].map((m) =>
      typeof m === "string" ? m : m[1]!,
    ))
      shown.add(name);
    return `// kiln/${key}\n${module}`;
  }
  for (const catalog of Object.values(catalogs)) {
    if (!catalog) continue;
    const resource = catalog.resources[key];
    if (resource) return resourceBlock(catalog, key, resource, shown);
    const signature = catalog.methods[key];
    if (signature !== undefined) return methodBlock(catalog, key, signature, shown);
    const type = catalog.types[key];
    if (type !== undefined) return onceBlock(key, type, shown);
    // A namespace (`stripe.issuing`): the index lines of its resources.
    const namespace = indexLines(catalog, (n) => isWithin(n, key));
    if (namespace.length > 0) return `// ${key}: its resources\n${namespace.join("\n")}`;
  }
  return null;
}

const exportedName = /^export (?:declare )?(?:interface|type|class|const|function) (\w+)/gm;

function onceBlock(name: string, body: string, shown: Set<string>): string {
  if (shown.has(name)) return `// ${name}: given above`;
  shown.add(name);
  return typeBlock(name, body);
}

function resourceBlock(
  catalog: ApiCatalog,
  path: string,
  resource: { prefix: string; methods: readonly string[] },
  shown: Set<string>,
) {
  const signatures = resource.methods.map((m) => `  ${catalog.methods[`${path}.${m}`] ?? `${m}(…);`}`);
  // The resource's own object: what `retrieve` (or its first method) returns.
  const main = resource.methods.includes("retrieve") ? "retrieve" : resource.methods[0];
  const objectType = main ? returnedTypes(catalog, resource.prefix, catalog.methods[`${path}.${main}`] ?? "")[0] : null;
  const lines = [`// ${path}\n{\n${signatures.join("\n")}\n}`];
  if (objectType) lines.push(onceBlock(objectType, catalog.types[objectType] ?? "", shown));
  return lines.join("\n");
}

function methodBlock(catalog: ApiCatalog, key: string, signature: string, shown: Set<string>): string {
  const path = key.slice(0, key.lastIndexOf("."));
  const prefix = catalog.resources[path]?.prefix ?? "";
  const lines = [`// ${key}`, signature];
  for (const name of [...parameterTypes(catalog, prefix, signature), ...returnedTypes(catalog, prefix, signature)]) {
    if (shown.has(name)) continue;
    shown.add(name);
    const body = catalog.types[name] ?? "";
    lines.push(typeBlock(name, body));
    // Small base interfaces (`extends PaginationParams`) are part of what the call takes.
    for (const base of /\bextends ([\w.]+)/.exec(body)?.slice(1) ?? []) {
      const qualified = qualify(catalog, prefix, base);
      const baseBody = qualified ? catalog.types[qualified] : undefined;
      if (qualified && baseBody && baseBody.length < 400 && !shown.has(qualified)) {
        shown.add(qualified);
        lines.push(typeBlock(qualified, baseBody));
      }
    }
  }
  return lines.join("\n");
}

function typeBlock(name: string, body: string): string {
  const declared = /^(?:interface|type) ([\w]+)/.exec(body)?.[1];
  return declared === name ? body : `// ${name}\n${body}`;
}

// Names of the SDK's plumbing in a signature, never worth a lookup of their own.
const PLUMBING = new Set([
  "RequestOptions",
  "Promise",
  "Response",
  "ApiListPromise",
  "ApiSearchResultPromise",
  "Array",
]);

// A signature may open with its doc comment (a method a module adds), whose words are not types.
const withoutDoc = (signature: string) => signature.replace(/\/\*\*[\s\S]*?\*\//g, "");

function parameterTypes(catalog: ApiCatalog, prefix: string, doc: string): string[] {
  const signature = withoutDoc(doc);
  const params = signature.slice(signature.indexOf("("), signature.lastIndexOf("):"));
  return typeNames(catalog, prefix, params);
}

function returnedTypes(catalog: ApiCatalog, prefix: string, doc: string): string[] {
  const signature = withoutDoc(doc);
  return typeNames(catalog, prefix, signature.slice(signature.lastIndexOf("):") + 2));
}

function typeNames(catalog: ApiCatalog, prefix: string, text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/\b[A-Z]\w*(?:\.[A-Z]\w*)*/g)) {
    if (PLUMBING.has(match[0])) continue;
    const qualified = qualify(catalog, prefix, match[0]);
    if (qualified && !names.includes(qualified)) names.push(qualified);
  }
  return names;
}

/** A type name as a file in a nested folder writes it (`Session`), named as apps do (`Checkout.Session`). */
function qualify(catalog: ApiCatalog, prefix: string, name: string): string | null {
  if (prefix && catalog.types[`${prefix}${name}`] !== undefined) return `${prefix}${name}`;
  return catalog.types[name] !== undefined ? name : null;
}

function suggestionFor(catalogs: ApiCatalogs, key: string): string {
  const last = key.split(".").pop()?.toLowerCase() ?? "";
  if (last.length < 3) return "";
  for (const catalog of Object.values(catalogs)) {
    if (!catalog) continue;
    const near = [...Object.keys(catalog.resources), ...Object.keys(catalog.methods)].find((k) =>
      k.toLowerCase().endsWith(`.${last}`),
    );
    if (near) return ` (did you mean ${near}?)`;
  }
  return "";
}
