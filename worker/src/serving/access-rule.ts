import type { Visitor } from "../data/visitor-sessions";
import type { Environment } from "../core/env";
import { ACCESS_RULES, type AccessRule, type AppAccess } from "../core/api-shapes/access";

// Who may use an app, as the API shows it (core/api-shapes/access.ts): the rules, in the order the workspace offers them.
export { ACCESS_RULES };

/** A role name as apps declare it and owners give it: a short lower-case word (`admin`, `member`). */
export const ROLE_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

/** An email domain for the `domains` rule, lower case: `example.com`. */
export const EMAIL_DOMAIN = /^(?!-)[a-z0-9-]{1,63}(\.(?!-)[a-z0-9-]{1,63})+$/;

/**
 * What a rule is when the owner never set one: the preview is the owner's draft (the workspace shows it to them
 * signed in), the live app is what they publish for everyone.
 */
export const DEFAULT_ACCESS: Record<Environment, AppAccess> = {
  preview: { rule: "owner", domains: [] },
  live: { rule: "public", domains: [] },
};

/** Who is asking, for the verdict: a visitor's session, and whether their email is on the app's invite list now. */
export interface AccessRequest {
  visitor: Visitor | null;
  invited: boolean;
}

/** The verdict on one request: let it through, ask the visitor to sign in, or refuse a signed-in visitor. */
export type AccessVerdict = "allow" | "sign_in" | "refuse";

/** Whether `request` may use an environment guarded by `access`. The owner may always use their own app. */
export function accessVerdict(access: AppAccess, request: AccessRequest): AccessVerdict {
  if (access.rule === "public") return "allow";
  const { visitor } = request;
  if (!visitor) return "sign_in";
  if (visitor.roles.includes("owner")) return "allow";
  switch (access.rule) {
    case "signed_in":
      return "allow";
    case "invited":
      return request.invited ? "allow" : "refuse";
    case "domains":
      return emailInDomains(visitor.email, access.domains) ? "allow" : "refuse";
    case "owner":
      return "refuse";
  }
}

/** Whether an email may ask for a sign-in code at all under `access` (others get the same answer, and no mail). */
export function maySignIn(access: AppAccess, email: string, invited: boolean): boolean {
  switch (access.rule) {
    case "public":
    case "signed_in":
      return true;
    case "invited":
      return invited;
    case "domains":
      return emailInDomains(email, access.domains);
    case "owner":
      return false;
  }
}

/** Whether `email`'s domain is one of `domains` exactly (no subdomains: `evil.example.com` is not `example.com`). */
export function emailInDomains(email: string, domains: string[]): boolean {
  const at = email.lastIndexOf("@");
  if (at < 0) return false;
  const domain = email.slice(at + 1).toLowerCase();
  return domains.includes(domain);
}

/**
 * The SQL expression that reads an app's stored rules as the JSON parseAccess takes; `appId` is a column or `?`
 * (never a value), so the serving lookup and the access store read the same shape.
 */
export function accessRowsSql(appId: string): string {
  return `(SELECT json_group_array(json_object('environment', environment, 'rule', rule, 'domains', json(domains_json)))
           FROM app_access WHERE app_id = ${appId})`;
}

/**
 * Both environments' rules from stored rows (`[{ environment, rule, domains }]` as JSON), the default for an
 * environment with no row or a row this Kiln does not understand (never more open than its default).
 */
export function parseAccess(json: string | null): Record<Environment, AppAccess> {
  const access = { preview: DEFAULT_ACCESS.preview, live: DEFAULT_ACCESS.live };
  let rows: unknown = [];
  try {
    rows = JSON.parse(json ?? "[]");
  } catch {}
  for (const row of Array.isArray(rows) ? rows : []) {
    const { environment, rule, domains } = (row ?? {}) as Record<string, unknown>;
    if (environment !== "preview" && environment !== "live") continue;
    if (!ACCESS_RULES.includes(rule as AccessRule)) {
      access[environment] = { rule: "owner", domains: [] };
      continue;
    }
    const list = Array.isArray(domains) ? domains.filter((d): d is string => typeof d === "string") : [];
    access[environment] = { rule: rule as AccessRule, domains: list };
  }
  return access;
}
