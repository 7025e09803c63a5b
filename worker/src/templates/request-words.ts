// What the adapter reads from a request: a name ("for my bakery"), a tracked
// thing ("track my books") and fields ("with title, author and rating").
// Plain pattern rules, documented in templates/README.md.

const FILLER = new Set([
  "a",
  "an",
  "the",
  "my",
  "our",
  "their",
  "its",
  "his",
  "her",
  "your",
  "some",
  "each",
  "every",
  "small",
  "little",
  "simple",
  "new",
  "local",
  "own",
]);
const STOP = new Set([
  "with",
  "that",
  "which",
  "where",
  "so",
  "to",
  "and",
  "using",
  "in",
  "on",
  "from",
  "via",
  "by",
  "who",
  "business",
  "company",
  "shop",
  "store",
  "team",
  "app",
]);

/** "bakery" → "Bakery", "coffee roastery" → "Coffee Roastery". */
export function titleCase(words: string): string {
  return words
    .split(/\s+/)
    .filter((w) => w !== "")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
}

/** A crude English singular: "books" → "book", "categories" → "category", "boxes" → "box". */
export function singular(word: string): string {
  if (/ies$/.test(word) && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(word)) return word;
  if (/(sh|ch|x|z|ss)es$/.test(word)) return word.slice(0, -2);
  if (/s$/.test(word) && word.length > 3) return word.slice(0, -1);
  return word;
}

/** The plural of a singular noun: "book" → "books", "category" → "categories", "box" → "boxes". */
export function plural(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|sh|ch|x|z)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9' -]+/g, " ")
    .split(/\s+/)
    .filter((w) => w !== "");
}

/** Up to two meaningful words after `start` in `list`, skipping fillers and stopping at a joining word. */
function nounAfter(list: string[], start: number): string | null {
  const picked: string[] = [];
  for (let i = start; i < list.length && picked.length < 2; i++) {
    const word = list[i]!.replace(/'s$/, "");
    if (picked.length === 0 && FILLER.has(word)) continue;
    if (STOP.has(word) || FILLER.has(word)) break;
    if (!/^[a-z][a-z0-9-]*$/.test(word)) break;
    picked.push(word);
  }
  return picked.length === 0 ? null : picked.join(" ");
}

const OWNER_WORDS = new Set(["my", "our", "the", "a", "an"]);

/** Whose app it is: "a CRM for my bakery" → "bakery" ("for" then my/our/the/a); null if the request names nobody. */
export function ownerName(request: string): string | null {
  const list = words(request);
  for (let i = 0; i < list.length - 2; i++) {
    if (list[i] === "for" && OWNER_WORDS.has(list[i + 1]!)) {
      const noun = nounAfter(list, i + 2);
      if (noun !== null && !/^(people|customers|clients|visitors|day|week|month|year)$/.test(noun)) return noun;
    }
  }
  return null;
}

/** The thing a tracker tracks: "track my books" / "a tracker for plants" / "a list of recipes" → singular noun, or null. */
export function trackedThing(request: string): string | null {
  const list = words(request);
  for (let i = 0; i < list.length - 1; i++) {
    const word = list[i]!;
    const next = list[i + 1]!;
    const start =
      word === "track" || word === "log" || word === "catalog" || word === "catalogue"
        ? i + 1
        : (word === "list" || word === "log") && next === "of"
          ? i + 2
          : (word === "tracker" || word === "list") && next === "for"
            ? i + 2
            : word === "of" && (next === "my" || next === "our")
              ? i + 1
              : -1;
    if (start < 0) continue;
    const noun = nounAfter(list, start);
    if (noun === null) continue;
    const last = noun.split(" ").pop()!;
    if (/^(of|everything|things|stuff|it|them)$/.test(last)) continue;
    return singular(last);
  }
  const before = /\b([a-z]+)\s+(?:tracker|log|inventory)\b/.exec(request.toLowerCase());
  if (before !== null && !FILLER.has(before[1]!) && !STOP.has(before[1]!) && before[1] !== "simple")
    return singular(before[1]!);
  return null;
}

/** The field names a request lists after "with", "fields" or "columns": "with title, author and rating" → ["title", "author", "rating"]. */
export function listedFields(request: string): string[] {
  const match = /\b(?:with|fields?|columns?|including)\b:?\s+(.+)$/i.exec(request.replace(/[.!?]\s*$/, ""));
  if (match === null) return [];
  const result: string[] = [];
  // The list ends where the sentence goes on: "… and rating for my book club".
  const list = match[1]!.split(/\s(?:for|so|that|which|where|to|in)\s/i)[0]!;
  for (const part of list.split(/,|\band\b|&|\//i)) {
    const name = words(part)
      .filter((w) => !FILLER.has(w) && w !== "for" && w !== "each")
      .slice(0, 3)
      .join("_")
      .replace(/[^a-z0-9_]/g, "");
    if (/^[a-z][a-z0-9_]{0,39}$/.test(name) && !result.includes(name)) result.push(name);
  }
  return result.slice(0, 8);
}
