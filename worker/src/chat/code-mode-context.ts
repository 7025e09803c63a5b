// The Code Mode context: what a model reads before writing an app. Kept free of
// runtime imports so `bench/context-tokens.mjs` can load this exact file in Node.
import type { ConnectorId } from "../../../connectors/types";

/** The pieces the context is assembled from. */
export interface ContextParts {
  /** `worker/sdk/kiln/index.d.ts`, the app contract. */
  contract: string;
  /**
   * What the context shows of each connector the app uses or may use: its brief (`connectors/<id>/brief.md`) when
   * its API is looked up (an index below), else its whole declaration (`connectors/<id>/index.d.ts`).
   */
  connectors: Partial<Record<ConnectorId, string>>;
  /** For a connector whose whole API is generated: its index (`apiIndex`), whose declarations the model looks up. */
  indexes: Partial<Record<ConnectorId, string>>;
  /** Short example files from the closest template, if any. */
  example: { title: string; files: Record<string, string> } | null;
  /** How the model must shape its answer (`answerFormatRules`). */
  answerFormat: string;
  /** The date and time in the owner's zone (`clockLine`), when known. */
  clock?: string;
}

/** The rules every generated app follows; the build enforces most of them too. */
export const codeRules = `You write the TypeScript backend of a Kiln app: a module Worker (Hono is fine) in src/index.ts, plus files it imports relatively.
Rules:
- Imports: "hono" (and subpaths), "zod", "kiln", and the connectors below as "kiln/<id>". Nothing else.
- No secrets anywhere (keys, tokens, passwords) in code or CONFIG: Kiln adds the owner's credentials outside the app.
- No raw fetch() to other hosts (refused): reach a service through its connector.
- Declare tables with defineTables, export them as \`tables\`, use env.DB.
- Kiln signs visitors in: no login code. Owner-only pages/APIs (admin, settings, people's data) get requireOwner(), even unasked; invite-only: access = "invited".
- What only the owner knows (their email, hours, an id, a Google Sheet, an Airtable table) goes in \`export const setup\`, read as env.CONFIG.KEY: never hard-coded, never undeclared CONFIG keys.
- Before deploying Kiln opens GET / and runs your \`checks\`: check the main path (post its form, read its JSON, run each automation, send each Stripe event it handles).
- Strict TypeScript: validate bodies with zod, handle null rows.`;

/** How the model reads an API it only has the index of: Code Mode's progressive disclosure. */
export const lookupRules = `## Looking up an API
The indexes name resources as the official SDKs do. Before writing files that call one, answer only
<lookup>stripe.charges.list Charge kiln/stripe</lookup>
naming methods (parameters, result), resources (methods, object), types or a module (its own exports); Kiln replies with their declarations, then you write the files. Two lookups per request at most.`;

/**
 * The contract as the model reads it: without the unexported helper types that compute row types (TypeOf, Value,
 * RequiredKeys…), which the type-checker needs and a reader does not; every exported name stays as declared.
 */
export function readersContract(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^type (TypeOf|Value|IsOptional|RequiredKeys|OptionalKeys)</.test(line))
    .join("\n");
}

// Examples are excerpts: enough to show the shape, short enough to stay cheap on every turn.
const exampleCharacterBudget = 300;

/** The whole context as one text (the system prompt of every model call). */
export function composeContext(parts: ContextParts): string {
  const sections: string[] = [
    parts.clock ? `${codeRules}\n${parts.clock}` : codeRules,
    `## The app contract: module "kiln"\n\`\`\`ts\n${readersContract(parts.contract).trim()}\n\`\`\``,
  ];
  const ids = (Object.keys(parts.connectors) as ConnectorId[]).sort();
  for (const id of ids) {
    const index = parts.indexes[id];
    const shown = (parts.connectors[id] ?? "").trim();
    sections.push(
      index
        ? `## Connector: module "kiln/${id}"\n${shown}\nIts whole API, by resource (look up before use):\n${index}`
        : `## Connector: module "kiln/${id}"\n\`\`\`ts\n${shown}\n\`\`\``,
    );
  }
  if (ids.some((id) => parts.indexes[id])) sections.push(lookupRules);
  if (ids.length === 0)
    sections.push(
      "## Connectors\nThis app uses none yet: kiln/stripe, kiln/airtable, kiln/google and kiln/ai exist if the person asks for payments, Airtable, Google (Calendar, Sheets, Gmail, Drive) or AI (classify, summarise).",
    );
  if (parts.example) sections.push(exampleSection(parts.example));
  sections.push(`## Answer format\n${parts.answerFormat.trim()}`);
  return `${sections.join("\n\n")}\n`;
}

function exampleSection(example: { title: string; files: Record<string, string> }): string {
  const blocks: string[] = [];
  let budget = exampleCharacterBudget;
  // The tables declaration first (just that statement: the pattern, not the template's helpers), then the entry file.
  const tablesPath = Object.keys(example.files).find(
    (path) => path !== "src/index.ts" && (example.files[path] ?? "").includes(tablesStatement),
  );
  if (tablesPath) {
    const text = example.files[tablesPath] ?? "";
    const excerpt = `import { defineTables } from "kiln";\n// …\n${text.slice(text.indexOf(tablesStatement)).trimEnd()}`;
    budget -= excerpt.length;
    blocks.push(`<file path="${tablesPath}">\n${excerpt}\n</file>`);
  }
  // A file's opening comment describes the template, not the pattern: leave it out. So are imports of the template's
  // own files, which the excerpt does not show (a model copies an import it cannot see the file of).
  const entry = (example.files["src/index.ts"] ?? "")
    .replace(/^(\/\/.*\n)+/, "")
    .replace(/^import [^;]*from "\.{1,2}\/[^"]*";\n/gm, "");
  const excerpt = entry.length > budget ? `${entry.slice(0, entry.lastIndexOf("\n", budget))}\n// …` : entry.trimEnd();
  blocks.push(`<file path="src/index.ts">\n${excerpt}\n</file>`);
  return `## Example from the "${example.title}" template\n${blocks.join("\n")}`;
}

const tablesStatement = "export const tables = defineTables(";
