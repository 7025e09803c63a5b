// An agent's snippet as the source of a tiny app, so it goes through the very compiler apps go through: strict
// type-check against the typed client, bundling, and the loop guards that stop a runaway loop inside the isolate.
import type { Diagnostic } from "../core/errors";
import { CLIENT_MODULE, kilnClientModule } from "./kiln-client-source";

/** Where the snippet's own text sits in the source handed to the compiler. */
export const SNIPPET_FILE = "src/snippet.ts";
const ENTRY_FILE = "src/index.ts";

/** The most log lines a snippet's answer carries, and characters per line. */
export const MAX_SNIPPET_LOG_LINES = 200;
const MAX_LOG_LINE_CHARACTERS = 2_000;

// The snippet is the body of an async function of `kiln`: `return` gives its result. Its first line follows this.
const SNIPPET_HEAD = [
  'import type { Kiln } from "./kiln";',
  "export default async function run(kiln: Kiln): Promise<unknown> {",
];

/** The files of the app that runs `code`: the client, the snippet wrapped as a function, and an entry that calls it. */
export function snippetSource(code: string): Record<string, string> {
  return {
    [CLIENT_MODULE]: kilnClientModule(),
    [SNIPPET_FILE]: `${SNIPPET_HEAD.join("\n")}\n${code}\n}\n`,
    [ENTRY_FILE]: ENTRY_SOURCE,
  };
}

/** A build's diagnostics in the snippet's own lines (1 = its first line); problems elsewhere keep their file. */
export function snippetDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.map((d) =>
    d.file === SNIPPET_FILE ? { ...d, file: "snippet", line: Math.max(1, d.line - SNIPPET_HEAD.length) } : d,
  );
}

// The entry: console output is kept for the answer (the snippet has no log tail), the result is returned as JSON.
const ENTRY_SOURCE = `import { createKiln, type KilnGateway } from "./kiln";
import run from "./snippet";

const levels = ["debug", "info", "log", "warn", "error"] as const;

function show(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.stack ?? \`\${value.name}: \${value.message}\`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export default {
  async fetch(_request: Request, env: { KILN: KilnGateway }): Promise<Response> {
    const logs: string[] = [];
    let dropped = 0;
    for (const level of levels) {
      console[level] = (...args: unknown[]) => {
        if (logs.length >= ${MAX_SNIPPET_LOG_LINES}) dropped++;
        else logs.push(\`\${level}: \${args.map(show).join(" ")}\`.slice(0, ${MAX_LOG_LINE_CHARACTERS}));
      };
    }
    let answer: { ok: boolean; result?: unknown; error?: string };
    try {
      const result = await run(createKiln(env.KILN));
      answer = { ok: true, result: result === undefined ? null : result };
    } catch (error) {
      answer = { ok: false, error: error instanceof Error ? \`\${error.name}: \${error.message}\` : show(error) };
    }
    if (dropped > 0) logs.push(\`(\${dropped} more lines left out)\`);
    try {
      return new Response(JSON.stringify({ ...answer, logs }), { headers: { "content-type": "application/json" } });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return Response.json({ ok: false, error: \`The result cannot be sent back as JSON: \${why}\`, logs });
    }
  },
};
`;
