// A subset of Stripe's search query language, enough for what apps ask:
// `email:'ann@example.com'`, `name~'ann'`, `metadata['plan']:'pro'`,
// `-status:'x'` (negation), `created>1700000000`, joined by spaces/AND or by OR.
// Field names may be dotted (`payment_method_details.card.last4`); a field the
// resource does not list is refused with Stripe's "unsupported search field".
import { invalidParam } from "./stripe-errors.ts";

/** One `field<op>value` clause. */
interface Clause {
  field: string;
  /** Set for `metadata['key']`. */
  metadataKey: string | null;
  operator: ":" | "~" | ">" | "<" | ">=" | "<=";
  value: string;
  negated: boolean;
}

/** A parsed query: clauses and how they combine. */
export interface SearchQuery {
  clauses: Clause[];
  join: "AND" | "OR";
}

/** What a resource exposes to search: its searchable fields, read off an object. */
export type SearchFields<T> = Record<string, (item: T) => string | number | null>;

function badQuery(message: string): Error {
  return invalidParam("query", message, "parameter_invalid_string");
}

const CLAUSE =
  /^\s*(-)?([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*)(?:\[(?:'([^']*)'|"([^"]*)")\])?\s*(>=|<=|:|~|>|<)\s*(?:'([^']*)'|"([^"]*)"|(-?\d+))/;

/** Parses `query`; refuses fields `fields` does not list, with Stripe's wording. */
export function parseSearchQuery<T>(query: string, resource: string, fields: SearchFields<T>): SearchQuery {
  const clauses: Clause[] = [];
  const joins = new Set<"AND" | "OR">();
  let rest = query.trim();
  if (rest === "") throw badQuery("Search query is empty.");
  while (rest.length > 0) {
    const match = CLAUSE.exec(rest);
    if (match === null) throw badQuery(`Invalid search query: could not parse '${rest}'.`);
    const [whole, minus, field = "", quotedKey, doubleKey, operator, quoted, doubleQuoted, number] = match;
    if (!Object.hasOwn(fields, field)) {
      throw badQuery(
        `Field \`${field}\` is an unsupported search field for resource \`${resource}\`. See https://stripe.com/docs/search#query-fields-for-${resource} for a list of supported fields.`,
      );
    }
    const metadataKey = quotedKey ?? doubleKey ?? null;
    if ((field === "metadata") !== (metadataKey !== null))
      throw badQuery(`Invalid search query: ${field} must be written as metadata['key'].`);
    const value = quoted ?? doubleQuoted ?? number ?? "";
    if (operator === "~" && value.length < 3) throw badQuery("Substring search (~) needs at least 3 characters.");
    clauses.push({ field, metadataKey, operator: operator as Clause["operator"], value, negated: minus === "-" });
    rest = rest.slice(whole.length);
    const join = /^\s+(AND|OR)\s+|^\s+/.exec(rest);
    if (join === null && rest.length > 0) throw badQuery(`Invalid search query: could not parse '${rest}'.`);
    if (join !== null) {
      joins.add(join[1] === "OR" ? "OR" : "AND");
      rest = rest.slice(join[0].length);
    }
  }
  if (joins.size > 1) throw badQuery("Search queries cannot mix AND and OR.");
  if (clauses.length > 10) throw badQuery("Search queries can have at most 10 clauses.");
  return { clauses, join: joins.has("OR") ? "OR" : "AND" };
}

/** True when `item` satisfies `query`. `:` is exact (case-insensitive for text), `~` is substring. */
export function matchesSearch<T extends { metadata: Record<string, string> | null }>(
  item: T,
  query: SearchQuery,
  fields: SearchFields<T>,
): boolean {
  const results = query.clauses.map((clause) => {
    const actual =
      clause.metadataKey !== null
        ? (item.metadata?.[clause.metadataKey] ?? null)
        : (fields[clause.field]?.(item) ?? null);
    return clause.negated !== compare(actual, clause);
  });
  return query.join === "AND" ? results.every(Boolean) : results.some(Boolean);
}

function compare(actual: string | number | null, clause: Clause): boolean {
  if (actual === null) return false;
  if (typeof actual === "number") {
    const wanted = Number(clause.value);
    switch (clause.operator) {
      case ">":
        return actual > wanted;
      case "<":
        return actual < wanted;
      case ">=":
        return actual >= wanted;
      case "<=":
        return actual <= wanted;
      default:
        return actual === wanted;
    }
  }
  const text = actual.toLowerCase();
  const wanted = clause.value.toLowerCase();
  if (clause.operator === "~") return text.includes(wanted);
  if (clause.operator === ":") return text === wanted;
  return false;
}
