// The Code Mode context: what a model reads before writing an app. Kept free of
// runtime imports so `bench/context-tokens.mjs` can load this exact file in Node.
import type { ConnectorId } from "../../../connectors/types";

/** The pieces the context is assembled from. */
export interface ContextParts {
  /** `worker/sdk/kiln/index.d.ts`, the app contract. */
  contract: string;
  /** The declaration (`connectors/<id>/index.d.ts`) of each connector the app uses or may use. */
  connectors: Partial<Record<ConnectorId, string>>;
  /** Short example files from the closest template, if any. */
  example: { title: string; files: Record<string, string> } | null;
  /** How the model must shape its answer (`answerFormatRules`). */
  answerFormat: string;
}

/** The rules every generated app follows; the build enforces most of them too. */
export const codeRules = `You write the TypeScript backend of a Kiln app: a module Worker (a Hono app is fine) in src/index.ts, plus other files it imports relatively.
Rules:
- Imports allowed: "hono" (and subpaths), "zod", "kiln", and the connectors below as "kiln/<id>". Nothing else.
- No secrets anywhere: no API keys, tokens or passwords in code or CONFIG. Kiln adds the owner's credentials outside the app.
- No raw fetch() to other hosts: outside calls are refused. A connector is how you reach a service: import its client.
- Declare every table with defineTables and export it as \`tables\`; use env.DB (AppEnv<typeof tables>) for data.
- GET / must answer without a server error (Kiln opens it before deploying). Keep the app small and readable.
- TypeScript is strict: type request bodies (e.g. with zod) and handle null rows.
- When you change an app, write back only the files you change, each in full; files you leave out stay as they are.`;

// Examples are excerpts: enough to show the shape, short enough to stay cheap on every turn.
const exampleCharacterBudget = 2400;

/** The whole context as one text (the system prompt of every model call). */
export function composeContext(parts: ContextParts): string {
  const sections: string[] = [codeRules, `## The app contract: module "kiln"\n\`\`\`ts\n${parts.contract.trim()}\n\`\`\``];
  const ids = (Object.keys(parts.connectors) as ConnectorId[]).sort();
  for (const id of ids) sections.push(`## Connector: module "kiln/${id}"\n\`\`\`ts\n${(parts.connectors[id] ?? "").trim()}\n\`\`\``);
  if (ids.length === 0) sections.push("## Connectors\nThis app uses none yet: kiln/stripe, kiln/airtable and kiln/google exist if the person asks for payments, Airtable or Google (Calendar, Sheets, Gmail).");
  if (parts.example) sections.push(exampleSection(parts.example));
  sections.push(`## Answer format\n${parts.answerFormat.trim()}`);
  return `${sections.join("\n\n")}\n`;
}

function exampleSection(example: { title: string; files: Record<string, string> }): string {
  const paths = Object.keys(example.files).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const blocks: string[] = [];
  let budget = exampleCharacterBudget;
  for (const path of paths.slice(0, 2)) {
    if (budget <= 200) break;
    const text = example.files[path] ?? "";
    const excerpt = text.length > budget ? `${text.slice(0, text.lastIndexOf("\n", budget))}\n// … (rest of the file left out)` : text.trimEnd();
    budget -= excerpt.length;
    blocks.push(`<file path="${path}">\n${excerpt}\n</file>`);
  }
  return `## Example from the "${example.title}" template\n${blocks.join("\n")}`;
}

// The entry file shows the most: put it first.
function rank(path: string): number {
  return path === "src/index.ts" ? 0 : 1;
}
