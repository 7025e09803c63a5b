// The subset of Airtable's formula language the fake evaluates for
// `filterByFormula` and view filters (documented in ../README.md):
//   {Field}, 'text' / "text", numbers, TRUE(), FALSE(), BLANK(), RECORD_ID()
//   = != < > <= >=, & (join text), + - * /
//   AND(...), OR(...), NOT(x), LOWER(x), UPPER(x), LEN(x), FIND(needle, haystack)
// Anything else is refused the way Airtable refuses a formula it cannot use.

/** A value inside a formula: what a cell holds, or a computed result. */
export type FormulaValue = string | number | boolean | null | string[];

/** What a formula reads from one record. */
export interface FormulaRecord {
  id: string;
  fields: Record<string, FormulaValue | undefined>;
}

/** A formula the fake cannot evaluate; becomes Airtable's 422 INVALID_FILTER_BY_FORMULA. */
export class FormulaError extends Error {}

type Node =
  | { kind: "field"; name: string }
  | { kind: "literal"; value: FormulaValue }
  | { kind: "call"; name: string; args: Node[] }
  | { kind: "binary"; operator: string; left: Node; right: Node };

type Token = { kind: "field" | "string" | "number" | "name" | "op"; text: string };

const OPERATORS = ["!=", "<=", ">=", "<>", "=", "<", ">", "&", "+", "-", "*", "/", "(", ")", ","];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i];
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === "{") {
      const end = source.indexOf("}", i);
      if (end < 0) throw new FormulaError("Invalid formula. Please check your formula text.");
      tokens.push({ kind: "field", text: source.slice(i + 1, end) });
      i = end + 1;
    } else if (char === "'" || char === '"') {
      let text = "";
      i += 1;
      while (i < source.length && source[i] !== char) {
        if (source[i] === "\\" && i + 1 < source.length) i += 1;
        text += source[i];
        i += 1;
      }
      if (i >= source.length) throw new FormulaError("Invalid formula. Please check your formula text.");
      tokens.push({ kind: "string", text });
      i += 1;
    } else if (/[0-9.]/.test(char)) {
      const match = /^[0-9]*\.?[0-9]+/.exec(source.slice(i));
      if (!match) throw new FormulaError("Invalid formula. Please check your formula text.");
      tokens.push({ kind: "number", text: match[0] });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ kind: "name", text: match[0] });
      i += match[0].length;
    } else {
      const operator = OPERATORS.find((op) => source.startsWith(op, i));
      if (!operator) throw new FormulaError("Invalid formula. Please check your formula text.");
      tokens.push({ kind: "op", text: operator });
      i += operator.length;
    }
  }
  return tokens;
}

const PRECEDENCE: Record<string, number> = {
  "=": 1,
  "!=": 1,
  "<>": 1,
  "<": 1,
  ">": 1,
  "<=": 1,
  ">=": 1,
  "&": 2,
  "+": 3,
  "-": 3,
  "*": 4,
  "/": 4,
};
const FUNCTIONS = new Set(["AND", "OR", "NOT", "TRUE", "FALSE", "BLANK", "RECORD_ID", "LOWER", "UPPER", "LEN", "FIND"]);

function parse(tokens: Token[], fieldNames: ReadonlySet<string>): Node {
  let position = 0;
  const unknownFields: string[] = [];
  const peek = () => tokens[position];
  const expect = (text: string) => {
    if (peek()?.text !== text) throw new FormulaError("Invalid formula. Please check your formula text.");
    position += 1;
  };

  function primary(): Node {
    const token = tokens[position++];
    if (!token) throw new FormulaError("Invalid formula. Please check your formula text.");
    if (token.kind === "field") {
      if (!fieldNames.has(token.text)) unknownFields.push(token.text);
      return { kind: "field", name: token.text };
    }
    if (token.kind === "string") return { kind: "literal", value: token.text };
    if (token.kind === "number") return { kind: "literal", value: Number(token.text) };
    if (token.kind === "op" && token.text === "(") {
      const inner = expression(0);
      expect(")");
      return inner;
    }
    if (token.kind === "op" && token.text === "-")
      return { kind: "binary", operator: "-", left: { kind: "literal", value: 0 }, right: primary() };
    if (token.kind === "name") {
      const name = token.text.toUpperCase();
      if (!FUNCTIONS.has(name)) throw new FormulaError(`Unknown function names: ${token.text}`);
      expect("(");
      const args: Node[] = [];
      if (peek()?.text !== ")") {
        args.push(expression(0));
        while (peek()?.text === ",") {
          position += 1;
          args.push(expression(0));
        }
      }
      expect(")");
      return { kind: "call", name, args };
    }
    throw new FormulaError("Invalid formula. Please check your formula text.");
  }

  function expression(minimum: number): Node {
    let left = primary();
    for (;;) {
      const token = peek();
      const precedence = token?.kind === "op" ? PRECEDENCE[token.text] : undefined;
      if (precedence === undefined || precedence <= minimum) return left;
      position += 1;
      left = { kind: "binary", operator: token.text, left, right: expression(precedence) };
    }
  }

  const tree = expression(0);
  if (position !== tokens.length) throw new FormulaError("Invalid formula. Please check your formula text.");
  if (unknownFields.length > 0) throw new FormulaError(`Unknown field names: ${unknownFields.join(", ")}`);
  return tree;
}

function text(value: FormulaValue): string {
  if (value === null) return "";
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "boolean") return value ? "1" : "0";
  return String(value);
}

function number(value: FormulaValue): number {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value === null || value === "") return 0;
  return typeof value === "number" ? value : Number(text(value));
}

/** Airtable's truthiness: blanks, 0, "" and false are false. */
export function truthy(value: FormulaValue): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== null && value !== "" && value !== 0 && value !== false;
}

function compare(operator: string, left: FormulaValue, right: FormulaValue): boolean {
  // Numbers compare as numbers (blank counts as 0); anything else compares as text (blank counts as "").
  const numberLike = (v: FormulaValue) => typeof v === "number" || typeof v === "boolean";
  const nonNumericText = (v: FormulaValue) =>
    Array.isArray(v) || (typeof v === "string" && v !== "" && Number.isNaN(Number(v)));
  const numeric = (numberLike(left) || numberLike(right)) && !nonNumericText(left) && !nonNumericText(right);
  const a = numeric ? number(left) : text(left);
  const b = numeric ? number(right) : text(right);
  switch (operator) {
    case "=":
      return a === b;
    case "!=":
    case "<>":
      return a !== b;
    case "<":
      return a < b;
    case ">":
      return a > b;
    case "<=":
      return a <= b;
    default:
      return a >= b;
  }
}

function evaluate(node: Node, record: FormulaRecord): FormulaValue {
  if (node.kind === "literal") return node.value;
  if (node.kind === "field") return record.fields[node.name] ?? null;
  if (node.kind === "binary") {
    const left = evaluate(node.left, record);
    const right = evaluate(node.right, record);
    if (node.operator === "&") return text(left) + text(right);
    if (node.operator === "+") return number(left) + number(right);
    if (node.operator === "-") return number(left) - number(right);
    if (node.operator === "*") return number(left) * number(right);
    if (node.operator === "/") return number(left) / number(right);
    return compare(node.operator, left, right);
  }
  const args = node.args.map((arg) => evaluate(arg, record));
  switch (node.name) {
    case "AND":
      return args.every(truthy);
    case "OR":
      return args.some(truthy);
    case "NOT":
      return !truthy(args[0] ?? null);
    case "TRUE":
      return true;
    case "FALSE":
      return false;
    case "BLANK":
      return null;
    case "RECORD_ID":
      return record.id;
    case "LOWER":
      return text(args[0] ?? null).toLowerCase();
    case "UPPER":
      return text(args[0] ?? null).toUpperCase();
    case "LEN":
      return text(args[0] ?? null).length;
    default: // FIND(needle, haystack): 1-based position, 0 when absent
      return text(args[1] ?? null).indexOf(text(args[0] ?? null)) + 1;
  }
}

/** Parses `source` against the table's field names; the result tells whether a record matches. */
export function compileFormula(source: string, fieldNames: ReadonlySet<string>): (record: FormulaRecord) => boolean {
  if (source.trim() === "") return () => true;
  const tree = parse(tokenize(source), fieldNames);
  return (record) => truthy(evaluate(tree, record));
}
