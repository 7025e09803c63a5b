// What list and search endpoints share beyond cursors (store.ts `listPage`):
// the `created` filter (`created=<ts>` or `created[gte|gt|lte|lt]=<ts>`),
// Stripe's order (newest `created` first, which differs from insertion order
// once past payments are seeded with earlier dates), and the search envelope
// with its `limit` and opaque `page` tokens (the query language is in search-query.ts).
import type { FakeList, FakeSearchResult } from "./objects.ts";
import type { Params } from "./params.ts";
import { matchesSearch, parseSearchQuery, type SearchFields } from "./search-query.ts";
import { listPage } from "./store.ts";
import { invalidParam } from "./stripe-errors.ts";

/** Says whether a `created` timestamp passes the request's filter. */
export type CreatedFilter = (created: number) => boolean;

/**
 * Reads `created` as Stripe's list endpoints take it: one exact timestamp, or a
 * range hash of `gt`, `gte`, `lt`, `lte` (any other key is an unknown param).
 */
export function readCreatedFilter(params: Params, key = "created"): CreatedFilter {
  if (typeof params.values[key] === "string") {
    const exact = params.integer(key);
    return exact === undefined ? () => true : (created) => created === exact;
  }
  const range = params.hash(key);
  if (range === undefined) return () => true;
  const gt = range.integer("gt");
  const gte = range.integer("gte");
  const lt = range.integer("lt");
  const lte = range.integer("lte");
  range.done();
  return (created) =>
    (gt === undefined || created > gt) &&
    (gte === undefined || created >= gte) &&
    (lt === undefined || created < lt) &&
    (lte === undefined || created <= lte);
}

/**
 * Oldest first by `created`, ties kept in insertion order: what `listPage`
 * (which reverses) and search pages need to answer newest first, as Stripe does.
 */
export function byCreated<T extends { created: number }>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => a.created - b.created);
}

/**
 * A page of the lines of one object (an invoice's lines, a payment link's line
 * items): Stripe lists them in their own order, not newest first, with the same cursors.
 */
export function linesPage<T extends { id: string }>(
  lines: readonly T[],
  params: Params,
  url: string,
  resource: string,
): FakeList<T> {
  return listPage([...lines].reverse(), params, url, resource);
}

/** Search page tokens are opaque to callers; here they carry the next offset. */
function pageToken(offset: number): string {
  return `page_${btoa(JSON.stringify({ offset })).replace(/=+$/, "")}`;
}

function readPageToken(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const { offset } = JSON.parse(atob(token.replace(/^page_/, ""))) as { offset: unknown };
    if (typeof offset === "number" && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // Falls through to Stripe's error below.
  }
  throw invalidParam("page", "Invalid page: the page token is not valid for this search", "parameter_invalid_string");
}

/** How one resource is searched: its name in Stripe's errors ("charges"), its URL and its searchable fields. */
export interface SearchableResource<T> {
  resource: string;
  url: string;
  fields: SearchFields<T>;
}

/**
 * One page of matches for the request's `query`, `limit` (1–100, default 10)
 * and `page`. `newestFirst` is the order Stripe returns them in.
 */
export function searchPage<T extends { metadata: Record<string, string> | null }>(
  newestFirst: readonly T[],
  params: Params,
  searchable: SearchableResource<T>,
): FakeSearchResult<T> {
  const query = parseSearchQuery(params.requiredString("query"), searchable.resource, searchable.fields);
  const limit = params.integer("limit") ?? 10;
  if (limit < 1 || limit > 100)
    throw invalidParam("limit", "Invalid limit: must be between 1 and 100", "parameter_invalid_integer");
  const offset = readPageToken(params.string("page"));
  params.done();
  const matches = newestFirst.filter((item) => matchesSearch(item, query, searchable.fields));
  const hasMore = matches.length > offset + limit;
  return {
    object: "search_result",
    data: matches.slice(offset, offset + limit),
    has_more: hasMore,
    next_page: hasMore ? pageToken(offset + limit) : null,
    url: searchable.url,
  };
}
