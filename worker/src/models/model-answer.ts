/**
 * What the model answers, as tagged text rather than a JSON object: local
 * OpenAI-compatible servers rarely support JSON schema output, and whole
 * TypeScript files inside JSON strings cost escaping tokens and break often.
 */
export type ModelAnswer =
  | { kind: "code"; plan: string; files: Record<string, string>; summary: string }
  | { kind: "question"; plan: string; question: string }
  | { kind: "lookup"; plan: string; keys: string[] };

/** The model's text did not follow the answer format; the message is sent back to it. */
export class AnswerFormatError extends Error {
  override readonly name = "AnswerFormatError";
}

/** The answer format, as the rules in the context describe it to the model. */
export const answerFormatRules = `Answer in this format and nothing else:
<plan>one to three sentences: what you will build or change</plan>
<file path="src/index.ts">
the whole new text of the file (no markdown fences)
</file>
(one <file> block per file you create or change; leave out files that stay the same)
<summary>one line: what changed, for the version history</summary>
If the request is too unclear to build, answer instead with:
<plan>what you understood</plan>
<question>one short question for the person</question>
To read an API's declarations before writing, answer only <lookup>names</lookup>.`;

const filePattern = /<file\s+path\s*=\s*"([^"]+)"\s*>\r?\n?([\s\S]*?)<\/file>/g;

/** Reads the model's tagged answer; throws AnswerFormatError with what is missing. */
export function parseModelAnswer(text: string): ModelAnswer {
  const plan = tagText(text, "plan") ?? "";
  const question = tagText(text, "question");
  const files: Record<string, string> = {};
  for (const match of text.matchAll(filePattern)) {
    const path = (match[1] ?? "").trim().replace(/^\.?\//, "");
    files[path] = stripFences(match[2] ?? "");
  }
  if (Object.keys(files).length === 0) {
    if (question) return { kind: "question", plan, question };
    const lookup = tagText(text, "lookup");
    if (lookup) return { kind: "lookup", plan, keys: lookup.split(/[\s,]+/).filter((k) => k !== "") };
    throw new AnswerFormatError(
      'The answer had no <file path="..."> block and no <question>. Reply again in the answer format.',
    );
  }
  const summary = firstLine(tagText(text, "summary") ?? plan) || "Updated the app.";
  return { kind: "code", plan, files, summary };
}

function tagText(text: string, tag: string): string | null {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(text);
  return match?.[1] ? match[1].trim() : null;
}

// Models often wrap a file in a markdown fence even when told not to.
// (@cloudflare/codemode's normalizeCode does this too, but it also rewrites a module into an arrow function, which an app entry must not become.)
function stripFences(body: string): string {
  const fenced = /^\s*```[a-zA-Z]*\r?\n([\s\S]*?)\r?\n```\s*$/.exec(body);
  const inner = fenced?.[1] ?? body;
  return inner.endsWith("\n") ? inner : `${inner}\n`;
}

function firstLine(text: string): string {
  return (text.split("\n").find((line) => line.trim() !== "") ?? "").trim().slice(0, 200);
}
