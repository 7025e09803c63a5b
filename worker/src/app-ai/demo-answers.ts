// The demo model: answers app AI calls when no model is configured (Kiln's default, templates, tests), the same
// answer for the same request every time. Pure (no Worker API), so the tests' scripted model can answer unscripted
// app calls with it too and both paths agree.

/** The model name demo answers carry, so an owner can tell them from a real model's. */
export const DEMO_MODEL_ID = "kiln-demo";

/** What a demo answer is made from: the request's words. */
export interface DemoPrompt {
  system?: string;
  prompt?: string;
  messages?: readonly { role: string; content: string }[];
}

/** The person's words the answer is about: the prompt, or the newest user message. */
export function demoSubject(request: DemoPrompt): string {
  if (request.prompt !== undefined) return request.prompt;
  return [...(request.messages ?? [])].reverse().find((m) => m.role === "user")?.content ?? "";
}

/** A stable text answer: says it is a demo and echoes the start of what it was asked about. */
export function demoText(request: DemoPrompt): string {
  const subject = demoSubject(request).replace(/\s+/g, " ").trim();
  const excerpt = subject.length > 120 ? `${subject.slice(0, subject.lastIndexOf(" ", 120))}…` : subject;
  return `Demo answer (no AI model is set up on this Kiln yet): ${excerpt || "nothing was asked"}`;
}

/** Tokens as the demo model counts them: about four characters each, as most tokenizers average on English. */
export function demoTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaNode = Record<string, unknown>;

const FIXED_STRINGS: Readonly<Record<string, string>> = {
  "date-time": "2026-01-01T00:00:00.000Z",
  date: "2026-01-01",
  time: "00:00:00",
  email: "demo@example.com",
  uri: "https://example.com/",
  url: "https://example.com/",
  uuid: "00000000-0000-4000-8000-000000000000",
};

/**
 * A value that satisfies a JSON Schema (as zod's toJSONSchema writes them): every property filled, an enum's
 * value named in `subject` (else its first), numbers at their minimum, strings "demo <field>" within their length.
 */
export function demoObject(schema: unknown, subject: string): Json {
  return valueFor(asNode(schema), subject, "value", 0);
}

function asNode(value: unknown): SchemaNode {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as SchemaNode) : {};
}

function valueFor(node: SchemaNode, subject: string, name: string, depth: number): Json {
  if (depth > 8) return null;
  if ("const" in node) return node.const as Json;
  if (Array.isArray(node.enum) && node.enum.length > 0) return pickNamed(node.enum as Json[], subject);
  const alternatives = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    const chosen = alternatives.map(asNode).find((a) => a.type !== "null") ?? asNode(alternatives[0]);
    return valueFor(chosen, subject, name, depth + 1);
  }
  if (Array.isArray(node.allOf) && node.allOf.length > 0)
    return valueFor(asNode(node.allOf[0]), subject, name, depth + 1);
  const type = Array.isArray(node.type) ? (node.type.find((t) => t !== "null") ?? "null") : node.type;
  switch (type) {
    case "object": {
      const properties = asNode(node.properties);
      const object: { [key: string]: Json } = {};
      for (const [key, child] of Object.entries(properties))
        object[key] = valueFor(asNode(child), subject, key, depth + 1);
      return object;
    }
    case "array": {
      const count = Math.max(typeof node.minItems === "number" ? node.minItems : 1, 1);
      const limit = typeof node.maxItems === "number" ? Math.min(count, node.maxItems) : count;
      return Array.from({ length: limit }, () => valueFor(asNode(node.items), subject, name, depth + 1));
    }
    case "integer":
    case "number":
      return numberFor(node, type === "integer");
    case "boolean":
      return false;
    case "string":
      return stringFor(node, name);
    default:
      return null;
  }
}

// An enum value the person's words name (whole word, any case) is the demo's "classification"; else the first.
function pickNamed(values: readonly Json[], subject: string): Json {
  const words = subject.toLowerCase();
  const named = values.find(
    (value) =>
      typeof value === "string" &&
      new RegExp(`\\b${value.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`).test(words),
  );
  return named ?? values[0] ?? null;
}

function numberFor(node: SchemaNode, integer: boolean): number {
  const minimum = typeof node.minimum === "number" ? node.minimum : null;
  const exclusive = typeof node.exclusiveMinimum === "number" ? node.exclusiveMinimum + (integer ? 1 : 0.5) : null;
  const maximum = typeof node.maximum === "number" ? node.maximum : null;
  let value = minimum ?? exclusive ?? 0;
  if (maximum !== null && value > maximum) value = maximum;
  return integer ? Math.ceil(value) : value;
}

function stringFor(node: SchemaNode, name: string): string {
  const format = typeof node.format === "string" ? FIXED_STRINGS[node.format] : undefined;
  let text = format ?? `demo ${name}`;
  const minLength = typeof node.minLength === "number" ? node.minLength : 0;
  const maxLength = typeof node.maxLength === "number" ? node.maxLength : Number.POSITIVE_INFINITY;
  if (text.length < minLength) text = text.padEnd(minLength, ".");
  return text.slice(0, maxLength);
}
