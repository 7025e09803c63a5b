import type { SourceFiles } from "../compiler";
import { BuildFailedError } from "../core/errors";
import { ROLE_NAME } from "../serving/access-rule";
import { REQUEST_ID_HEADER, VISITOR_HEADER } from "../core/headers";
import { problemsAsDiagnostics } from "../compiler/schema-problems";

/** One check an app declares (`export const checks`), run against its scratch database before it is deployed. */
export interface AppCheck {
  name: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  body?: unknown;
  /** The status the answer must have; without one, anything below 400 passes. */
  status?: number;
  /** Text the answer's body must contain. */
  contains?: string;
  /** Who sends it: `owner`, any signed-in `visitor`, or a visitor with one declared role; anonymous without it. */
  as?: string;
}

/** At most this many checks run per build: each starts a throwaway isolate. */
export const MAX_APP_CHECKS = 10;

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);

/** Reads the app's `checks` export; a malformed one fails the build with what is wrong. */
export function parseAppChecks(files: SourceFiles, declared: unknown): AppCheck[] {
  if (declared === null || declared === undefined) return [];
  const fail = (problem: string) =>
    new BuildFailedError(
      "The checks the app declares are not valid.",
      problemsAsDiagnostics(files, [problem], "default"),
      "checks",
    );
  if (!Array.isArray(declared))
    throw fail("`checks` must be a list of { name, path, method?, body?, status?, contains? }.");
  if (declared.length > MAX_APP_CHECKS)
    throw fail(`An app may declare at most ${MAX_APP_CHECKS} checks; it declares ${declared.length}.`);
  return declared.map((raw: unknown, index): AppCheck => {
    const check = (raw ?? {}) as Record<string, unknown>;
    const where = `check ${index + 1}`;
    if (typeof check.name !== "string" || check.name.length === 0)
      throw fail(`${where} needs a name saying what it proves.`);
    if (typeof check.path !== "string" || !check.path.startsWith("/"))
      throw fail(`${where} ("${check.name}") needs a path starting with "/".`);
    const method = check.method === undefined ? "GET" : String(check.method).toUpperCase();
    if (!METHODS.has(method)) throw fail(`${where} ("${check.name}") has an unknown method ${String(check.method)}.`);
    if (check.status !== undefined && (typeof check.status !== "number" || !Number.isInteger(check.status)))
      throw fail(`${where} ("${check.name}") has a status that is not a number.`);
    if (check.contains !== undefined && typeof check.contains !== "string")
      throw fail(`${where} ("${check.name}") has a "contains" that is not text.`);
    if (check.as !== undefined && (typeof check.as !== "string" || !ROLE_NAME.test(check.as)))
      throw fail(`${where} ("${check.name}") has an "as" that is not "owner", "visitor" or a role such as "admin".`);
    return {
      name: check.name,
      method: method as AppCheck["method"],
      path: check.path,
      ...(check.body !== undefined ? { body: check.body } : {}),
      ...(typeof check.status === "number" ? { status: check.status } : {}),
      ...(typeof check.contains === "string" ? { contains: check.contains } : {}),
      ...(typeof check.as === "string" ? { as: check.as } : {}),
    };
  });
}

/**
 * The request a check sends to the app under test. A check `as` someone carries the visitor header the serving gate
 * would set after sign-in: checks run straight against the trial isolate, with no gate and no session.
 */
export function checkRequest(baseUrl: string, check: AppCheck): Request {
  const hasBody = check.body !== undefined && check.method !== "GET";
  const roles = check.as === undefined || check.as === "visitor" ? [] : [check.as];
  const visitor = { id: "vis_check", email: "check@kiln.invalid", roles };
  return new Request(new URL(check.path, baseUrl), {
    method: check.method,
    headers: {
      [REQUEST_ID_HEADER]: "req_check",
      ...(check.as !== undefined ? { [VISITOR_HEADER]: JSON.stringify(visitor) } : {}),
      ...(hasBody ? { "content-type": "application/json" } : {}),
    },
    ...(hasBody ? { body: JSON.stringify(check.body) } : {}),
  });
}

/** Why an answer fails a check, or null when it passes. */
export function checkVerdict(check: AppCheck, status: number, body: string): string | null {
  if (check.status !== undefined ? status !== check.status : status >= 400) {
    return `"${check.name}": ${check.method} ${check.path} answered ${status}, expected ${check.status ?? "below 400"}${body ? ` (${body.slice(0, 200)})` : ""}`;
  }
  if (check.contains !== undefined && !body.includes(check.contains)) {
    return `"${check.name}": ${check.method} ${check.path} did not contain ${JSON.stringify(check.contains)}`;
  }
  return null;
}
