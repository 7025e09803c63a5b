import type { SourceFiles } from "../compiler";
import { BuildFailedError } from "../core/errors";
import { ACCESS_RULES, EMAIL_DOMAIN, ROLE_NAME } from "../serving/access-rule";
import type { AppAccess } from "../core/api-shapes/access";
import { problemsAsDiagnostics } from "../compiler/schema-problems";

/** At most this many roles per app: enough for admin/editor/member/…; the Access tab lists them all. */
export const MAX_DECLARED_ROLES = 20;

/** What a version's code says about its visitors: the roles it checks, and the live rule it asks for (or null). */
export interface DeclaredAccess {
  roles: string[];
  access: AppAccess | null;
}

/**
 * Reads `export const roles` and `export const access` from what the bundle declared; a malformed one fails the
 * build saying what to write. `owner` is Kiln's own role (the app's owner has it), never one an app declares.
 */
export function parseDeclaredAccess(files: SourceFiles, roles: unknown, access: unknown): DeclaredAccess {
  const fail = (problem: string) =>
    new BuildFailedError(
      "Who may use the app is not declared correctly.",
      problemsAsDiagnostics(files, [problem], "default"),
      "start",
    );
  return { roles: parseRoles(roles, fail), access: parseAccessDeclaration(access, fail) };
}

function parseRoles(declared: unknown, fail: (problem: string) => Error): string[] {
  if (declared === null || declared === undefined) return [];
  if (!Array.isArray(declared)) throw fail('`roles` must be a list of role names, e.g. ["admin", "member"].');
  if (declared.length > MAX_DECLARED_ROLES)
    throw fail(`An app may declare at most ${MAX_DECLARED_ROLES} roles; it declares ${declared.length}.`);
  const roles: string[] = [];
  for (const role of declared) {
    if (typeof role !== "string" || !ROLE_NAME.test(role))
      throw fail(`The role ${JSON.stringify(role)} is not a short lower-case word such as "admin" or "member".`);
    if (role === "owner")
      throw fail('"owner" is the app owner\'s own role (requireRole passes them everywhere); drop it.');
    if (!roles.includes(role)) roles.push(role);
  }
  return roles;
}

function parseAccessDeclaration(declared: unknown, fail: (problem: string) => Error): AppAccess | null {
  if (declared === null || declared === undefined) return null;
  const choices = ACCESS_RULES.filter((rule) => rule !== "domains")
    .map((rule) => `"${rule}"`)
    .join(", ");
  if (typeof declared === "string") {
    if (declared === "domains" || !(ACCESS_RULES as readonly string[]).includes(declared))
      throw fail(`\`access\` must be one of ${choices}, or { domains: ["example.com"] }.`);
    return { rule: declared as AppAccess["rule"], domains: [] };
  }
  const domains = (declared as { domains?: unknown }).domains;
  if (typeof declared !== "object" || !Array.isArray(domains) || domains.length === 0 || domains.length > 50)
    throw fail(`\`access\` must be one of ${choices}, or { domains: ["example.com"] } with 1 to 50 domains.`);
  const lower = domains.map((domain) => (typeof domain === "string" ? domain.trim().toLowerCase() : ""));
  const bad = lower.find((domain) => !EMAIL_DOMAIN.test(domain));
  if (bad !== undefined) throw fail(`${JSON.stringify(bad)} in \`access.domains\` is not a domain like example.com.`);
  return { rule: "domains", domains: [...new Set(lower)] };
}
