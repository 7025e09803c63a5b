// Drive's list query (https://developers.google.com/workspace/drive/api/guides/ref-search-terms): the `q` language
// (name, mimeType, trashed, starred, fullText, created/modified times, `'…' in parents|owners`, joined with and/or/not
// and parentheses) parsed into a test of one file, and `orderBy` into a comparison of two.
import { GOOGLE_FAKE_USER } from "./credentials.ts";
import { FOLDER_MIME, invalid, ROOT_FOLDER_ID, type StoredFile } from "./drive-resource.ts";

type Token = { kind: "string" | "word" | "op" | "paren"; text: string };
type Predicate = (file: StoredFile) => boolean;

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const rest = q.slice(i);
    if (/^\s/.test(rest)) i += 1;
    else if (rest[0] === "'") {
      let text = "";
      i += 1;
      while (i < q.length && q[i] !== "'") {
        if (q[i] === "\\") i += 1;
        text += q[i] ?? "";
        i += 1;
      }
      if (i >= q.length) throw invalid("q");
      i += 1;
      tokens.push({ kind: "string", text });
    } else if (rest[0] === "(" || rest[0] === ")") {
      tokens.push({ kind: "paren", text: rest[0] });
      i += 1;
    } else {
      const op = /^(!=|<=|>=|=|<|>)/.exec(rest)?.[1];
      const word = /^[A-Za-z_][\w.]*/.exec(rest)?.[0];
      const text = op ?? word;
      if (text === undefined) throw invalid("q");
      tokens.push({ kind: op ? "op" : "word", text });
      i += text.length;
    }
  }
  return tokens;
}

/** Whether some word of `name` (or the whole name) starts with `text`: Drive's `name contains`. */
function namePrefix(name: string, text: string): boolean {
  const lower = name.toLowerCase();
  const wanted = text.toLowerCase();
  for (let i = 0; i < lower.length; i += 1)
    if ((i === 0 || /[^\p{L}\p{N}]/u.test(lower[i - 1] as string)) && lower.startsWith(wanted, i)) return true;
  return false;
}

function compare(op: string, left: string | boolean | number, right: string | boolean | number): boolean {
  if (op === "=") return left === right;
  if (op === "!=") return left !== right;
  if (typeof left !== "number" || typeof right !== "number") throw invalid("q");
  if (op === "<") return left < right;
  if (op === "<=") return left <= right;
  if (op === ">") return left > right;
  return left >= right;
}

/** Parses `q` into a test of one file; throws Google's 400 "Invalid Value" (location q) for what Drive refuses. */
export function parseDriveQuery(q: string): Predicate {
  const tokens = tokenize(q);
  let at = 0;
  const peekWord = (word: string) => tokens[at]?.kind === "word" && tokens[at]?.text.toLowerCase() === word;
  const next = () => tokens[at++] ?? (invalid("q") as never);
  const take = (kind: Token["kind"]) => {
    const token = tokens[at++];
    if (token?.kind !== kind) throw invalid("q");
    return token.text;
  };
  const boolean = () => {
    const word = take("word").toLowerCase();
    if (word !== "true" && word !== "false") throw invalid("q");
    return word === "true";
  };
  const term = (): Predicate => {
    const first = next();
    if (first.kind === "string") {
      if (!peekWord("in")) throw invalid("q");
      at += 1;
      const collection = take("word");
      if (collection === "parents") {
        const parent = first.text === "root" ? ROOT_FOLDER_ID : first.text;
        return (file) => file.parents.includes(parent);
      }
      if (["owners", "writers", "readers"].includes(collection)) {
        const me = first.text === "me" || first.text.toLowerCase() === GOOGLE_FAKE_USER.email;
        return () => me;
      }
      throw invalid("q");
    }
    if (first.kind !== "word") throw invalid("q");
    const field = first.text;
    if (field === "sharedWithMe") return () => false;
    let operator = "contains";
    if (peekWord("contains")) at += 1;
    else operator = take("op");
    switch (field) {
      case "name":
      case "mimeType": {
        const value = take("string");
        if (operator === "contains")
          return field === "name"
            ? (file) => namePrefix(file.name, value)
            : (file) => file.mimeType.toLowerCase().includes(value.toLowerCase());
        if (operator !== "=" && operator !== "!=") throw invalid("q");
        return (file) => compare(operator, file[field], value);
      }
      case "fullText": {
        if (operator !== "contains") throw invalid("q");
        const value = take("string").toLowerCase();
        return (file) => `${file.name}\n${file.description ?? ""}`.toLowerCase().includes(value);
      }
      case "trashed":
      case "starred": {
        if (operator !== "=" && operator !== "!=") throw invalid("q");
        const value = boolean();
        return (file) => compare(operator, file[field], value);
      }
      case "createdTime":
      case "modifiedTime": {
        if (operator === "contains") throw invalid("q");
        const value = Date.parse(take("string"));
        if (Number.isNaN(value)) throw invalid("q");
        return (file) => compare(operator, Date.parse(file[field]), value);
      }
      default:
        throw invalid("q", `the Google fake does not simulate '${field}' in q`);
    }
  };
  const unary = (): Predicate => {
    if (peekWord("not")) {
      at += 1;
      const inner = unary();
      return (file) => !inner(file);
    }
    if (tokens[at]?.kind === "paren" && tokens[at]?.text === "(") {
      at += 1;
      const inner = or();
      if (take("paren") !== ")") throw invalid("q");
      return inner;
    }
    return term();
  };
  const and = (): Predicate => {
    let left = unary();
    while (peekWord("and")) {
      at += 1;
      const [l, right] = [left, unary()];
      left = (file) => l(file) && right(file);
    }
    return left;
  };
  const or = (): Predicate => {
    let left = and();
    while (peekWord("or")) {
      at += 1;
      const [l, right] = [left, and()];
      left = (file) => l(file) || right(file);
    }
    return left;
  };
  const predicate = or();
  if (at !== tokens.length) throw invalid("q");
  return predicate;
}

const ORDER_KEYS: Record<string, (file: StoredFile) => string | number> = {
  name: (file) => file.name.toLowerCase(),
  name_natural: (file) => file.name.toLowerCase(),
  createdTime: (file) => Date.parse(file.createdTime),
  modifiedTime: (file) => Date.parse(file.modifiedTime),
  recency: (file) => Date.parse(file.modifiedTime),
  folder: (file) => (file.mimeType === FOLDER_MIME ? 0 : 1),
  starred: (file) => (file.starred ? 0 : 1),
};

/** Compares two files as `orderBy` says (null: no order asked); 400 "Invalid Value" (location orderBy) otherwise. */
export function sorter(orderBy: string | null): ((a: StoredFile, b: StoredFile) => number) | null {
  if (!orderBy) return null;
  const keys = orderBy.split(",").map((part) => {
    const [key = "", direction, ...extra] = part.trim().split(/\s+/);
    const read = ORDER_KEYS[key];
    if (!read || extra.length > 0 || (direction !== undefined && direction !== "desc")) throw invalid("orderBy");
    return { read, sign: direction === "desc" ? -1 : 1 };
  });
  return (a, b) => {
    for (const { read, sign } of keys) {
      const [x, y] = [read(a), read(b)];
      if (x < y) return -sign;
      if (x > y) return sign;
    }
    return 0;
  };
}
