// The `search` tool: Code Mode's progressive disclosure for agents. The tool list costs a few hundred tokens; an agent
// asks for the part of the typed API a task needs — the Kiln client's operations, the app contract its code is
// checked against, a connector's resources — and gets declarations, not documentation pages.
import type { ApiCatalogs } from "../chat/api-lookup";
import { lookUpDeclarations } from "../chat/api-lookup";
import { codeRules, readersContract } from "../chat/code-mode-context";
import { KILN_CLIENT_TYPES } from "./kiln-client-types";
import { KILN_NAMESPACES, KILN_OPERATIONS } from "./kiln-operations";

/** What search reads besides the client: the `kiln` module's declaration and the connectors' catalogs. */
export interface SearchSources {
  contract: string;
  catalogs: ApiCatalogs;
}

interface Entry {
  key: string;
  /** Words that name it, weighed above the words of its description. */
  names: ReadonlySet<string>;
  words: ReadonlySet<string>;
  /** Its declaration, and the client types it uses (given once per answer, after the blocks). */
  text: () => { block: string; types?: readonly string[] };
}

/** The most entries one answer holds, and its length in characters. */
export const MAX_SEARCH_RESULTS = 4;
const MAX_ANSWER_CHARACTERS = 12_000;

// Words agents use for what the API calls otherwise.
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  deploy: ["publish", "write", "source"],
  code: ["source"],
  file: ["source"],
  seed: ["insert", "data"],
  record: ["row", "data"],
  error: ["diagnostic", "log"],
  fix: ["diagnostic", "build"],
  compile: ["build", "diagnostic"],
  schedule: ["automation", "cron"],
  job: ["automation"],
  cron: ["automation"],
  database: ["data", "table"],
  payment: ["stripe"],
  spreadsheet: ["sheet", "google"],
  email: ["gmail"],
  mail: ["gmail"],
  calendar: ["calendar", "google"],
  config: ["setup"],
};

const STOP = new Set(["the", "and", "for", "with", "that", "this", "its", "from", "into", "then", "how", "what"]);

/** Lower-case stems of the words in `text`, camelCase and dotted names split. */
export function searchWords(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 2 && !STOP.has(w))
    .map(stem);
}

function stem(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith("es") && /(ch|sh|x|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

/** The search index over the client, the app contract and the connectors: built once per isolate. */
export function searchIndex(sources: SearchSources): Entry[] {
  const entries: Entry[] = [];
  for (const operation of KILN_OPERATIONS) {
    entries.push({
      key: `kiln.${operation.name}`,
      names: new Set(searchWords(operation.name)),
      words: new Set(searchWords(operation.summary)),
      text: () => ({
        block: `/** ${operation.summary} */\nkiln.${operation.name}${operation.signature};`,
        types: typesUsed(operation.signature),
      }),
    });
  }
  const declarations = contractDeclarations(readersContract(sources.contract));
  entries.push({
    key: "app source",
    names: new Set(searchWords("app source code write file rule contract kiln module")),
    words: new Set(),
    text: () => ({
      block: `/* What source.write accepts: src/index.ts and the files it imports.\n${codeRules}\n*/\n// module "kiln" exports (search a name for its declaration): ${declarations.map((d) => d.name).join(", ")}`,
    }),
  });
  for (const declaration of declarations) {
    entries.push({
      key: `kiln:${declaration.name}`,
      names: new Set(searchWords(declaration.name)),
      words: new Set(searchWords(declaration.text)),
      text: () => ({ block: `// module "kiln"\n${declaration.text}` }),
    });
  }
  for (const [id, catalog] of Object.entries(sources.catalogs)) {
    if (!catalog) continue;
    entries.push({
      key: `kiln/${id}`,
      names: new Set(searchWords(`${id} connector module`)),
      words: new Set(searchWords(catalog.brief ?? "")),
      text: () => ({ block: `// module "kiln/${id}" (an app's import)\n${catalog.module ?? catalog.brief ?? ""}` }),
    });
    for (const [path, resource] of Object.entries(catalog.resources)) {
      entries.push({
        key: path,
        names: new Set(searchWords(path)),
        words: new Set(resource.methods.flatMap(searchWords)),
        text: () => ({ block: declarationsOnly(lookUpDeclarations(sources.catalogs, [path]).text) }),
      });
    }
  }
  return entries;
}

/** The `kiln` module's top-level declarations, each with its doc comment: what an app's code is written against. */
export function contractDeclarations(contract: string): { name: string; text: string }[] {
  const found: { name: string; lines: string[] }[] = [];
  let comment: string[] = [];
  for (const line of contract.split("\n")) {
    const name = /^(?:export )?(?:declare )?(?:type|interface|function|const) (\w+)/.exec(line)?.[1];
    if (name !== undefined) {
      found.push({ name, lines: [...comment, line] });
      comment = [];
    } else if (line.startsWith("/**") || (comment.length > 0 && !comment.at(-1)?.includes("*/"))) comment.push(line);
    else if (/^\s|^[|)}]/.test(line) && found.length > 0) found.at(-1)?.lines.push(line);
  }
  // A name declared twice (overloads) is one entry.
  const merged = new Map<string, string[]>();
  for (const { name, lines } of found) merged.set(name, [...(merged.get(name) ?? []), ...lines]);
  return [...merged].map(([name, lines]) => ({ name, text: lines.join("\n") }));
}

// The lookup's answer ends by telling a chat model to write files; an agent gets the declarations only.
function declarationsOnly(text: string): string {
  const body = /```ts\n([\s\S]*?)\n```/.exec(text)?.[1];
  return body ?? text;
}

/** The declarations that fit `query`, best first, with a line naming what else exists. */
export function searchKiln(index: readonly Entry[], query: string, limit = MAX_SEARCH_RESULTS): string {
  const terms = [...new Set(searchWords(query).flatMap((w) => [w, ...(SYNONYMS[w]?.map(stem) ?? [])]))];
  const ranked = index
    .map((entry, order) => ({ entry, order, score: scoreOf(entry, terms) }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order);
  const scored = ranked.slice(0, Math.max(1, Math.min(limit, 20)));
  const overview = `Kiln client namespaces: ${KILN_NAMESPACES.map((n) => `kiln.${n}`).join(", ")}; connectors: ${index
    .filter((e) => e.key.startsWith("kiln/"))
    .map((e) => e.key)
    .join(", ")}.`;
  if (scored.length === 0) return `Nothing matched "${query}". ${overview} Search with words of the task.`;
  const blocks: string[] = [];
  const types = new Set<string>();
  let length = 0;
  for (const { entry } of scored) {
    const { block, types: used = [] } = entry.text();
    const added = [...used].filter((t) => !types.has(t));
    const size = block.length + added.join("\n").length;
    if (length + size > MAX_ANSWER_CHARACTERS && blocks.length > 0) break;
    blocks.push(block);
    for (const type of added) types.add(type);
    length += size;
  }
  const more = ranked.slice(blocks.length, blocks.length + 6).map((s) => s.entry.key);
  const body = [...blocks, ...types].join("\n");
  return `\`\`\`ts\n${body}\n\`\`\`${more.length > 0 ? `\nAlso matched (search for it): ${more.join(", ")}.` : ""}`;
}

// The client types a signature names, and those they name in turn, each once.
function typesUsed(signature: string): string[] {
  const named = new Set<string>();
  const visit = (text: string) => {
    for (const type of KILN_CLIENT_TYPES)
      if (!named.has(type.name) && new RegExp(`\\b${type.name}\\b`).test(text)) {
        named.add(type.name);
        visit(type.text);
      }
  };
  visit(signature);
  return KILN_CLIENT_TYPES.filter((t) => named.has(t.name)).map((t) => t.text);
}

function scoreOf(entry: Entry, terms: readonly string[]): number {
  let score = 0;
  for (const term of terms) {
    if (entry.names.has(term)) score += 3;
    else if (entry.words.has(term)) score += 1;
  }
  return score;
}
