import type { SourceFiles } from "../compiler";
import { BuildFailedError } from "../core/errors";
import { ROLE_NAME } from "../serving/access-rule";
import { INVOKE_HEADER, REQUEST_ID_HEADER, VISITOR_HEADER } from "../core/headers";
import { newId } from "../core/ids";
import { problemsAsDiagnostics } from "../compiler/schema-problems";

/** What a check fires instead of a request: a run of an exported automation, or a Stripe event for `onStripeEvent`. */
export type CheckTrigger =
  | { automation: string; input?: unknown }
  | { stripe: string; object?: Record<string, unknown> };

/** One check an app declares (`export const checks`), run against its scratch database before it is deployed. */
export interface AppCheck {
  name: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as a form post (what a page's <form> sends). */
  form?: Record<string, string>;
  /** The status the answer must have; without one, anything below 400 passes (redirects are not followed). */
  status?: number;
  /** Text the answer's body must contain. */
  contains?: string;
  /** Values the JSON answer (a trigger's: the handler's output) must hold, by dotted path (`"items.0.name"`). */
  json?: Record<string, unknown>;
  /** Who sends it: `owner`, any signed-in `visitor`, or a visitor with one declared role; anonymous without it. */
  as?: string;
  trigger?: CheckTrigger;
}

/** At most this many checks run per build: each starts a throwaway isolate; 20 leaves room for a form, its JSON, each automation and each Stripe event. */
export const MAX_APP_CHECKS = 20;

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
    const trigger = parseTrigger(check.trigger, () =>
      fail(
        `${where} ("${check.name}") has a trigger that is neither { automation: "name", input? } nor { stripe: "event.type", object? }.`,
      ),
    );
    if (trigger) check.path ??= trigger && "automation" in trigger ? `/__kiln/automation` : `/__kiln/stripe`;
    if (typeof check.path !== "string" || !check.path.startsWith("/"))
      throw fail(`${where} ("${check.name}") needs a path starting with "/".`);
    if (
      check.form !== undefined &&
      (typeof check.form !== "object" ||
        check.form === null ||
        Object.values(check.form).some((v) => typeof v !== "string"))
    )
      throw fail(`${where} ("${check.name}") has a "form" that is not an object of text fields.`);
    if (
      check.json !== undefined &&
      (typeof check.json !== "object" || check.json === null || Array.isArray(check.json))
    )
      throw fail(`${where} ("${check.name}") has a "json" that is not an object of { "path.to.value": expected }.`);
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
      ...(check.form !== undefined ? { form: check.form as Record<string, string> } : {}),
      ...(check.json !== undefined ? { json: check.json as Record<string, unknown> } : {}),
      ...(trigger ? { trigger } : {}),
      ...(typeof check.status === "number" ? { status: check.status } : {}),
      ...(typeof check.contains === "string" ? { contains: check.contains } : {}),
      ...(typeof check.as === "string" ? { as: check.as } : {}),
    };
  });
}

function parseTrigger(raw: unknown, fail: () => Error): CheckTrigger | undefined {
  if (raw === undefined || raw === null) return undefined;
  const trigger = raw as Record<string, unknown>;
  if (typeof trigger.automation === "string" && trigger.automation !== "")
    return { automation: trigger.automation, ...(trigger.input !== undefined ? { input: trigger.input } : {}) };
  if (typeof trigger.stripe === "string" && /^[a-z_]+(\.[a-z_]+)+$/.test(trigger.stripe)) {
    const object = trigger.object;
    if (object !== undefined && (typeof object !== "object" || object === null || Array.isArray(object))) throw fail();
    return { stripe: trigger.stripe, ...(object ? { object: object as Record<string, unknown> } : {}) };
  }
  throw fail();
}

/**
 * The request a check sends to the app under test. Each has a request id of its own: the per-request budgets (50
 * outbound calls) count by id, and a fixed one was shared by every build's checks in an isolate until it ran out. A check `as` someone carries the visitor header the serving gate
 * would set after sign-in: checks run straight against the trial isolate, with no gate and no session.
 */
export function checkRequest(baseUrl: string, check: AppCheck, index = 0): Request {
  if (check.trigger) return triggerRequest(baseUrl, check.trigger, index);
  if (check.form !== undefined && check.method !== "GET")
    return new Request(new URL(check.path, baseUrl), {
      method: check.method,
      headers: { [REQUEST_ID_HEADER]: newId("req"), ...visitorHeader(check) },
      body: new URLSearchParams(check.form),
      redirect: "manual",
    });
  const hasBody = check.body !== undefined && check.method !== "GET";
  return new Request(new URL(check.path, baseUrl), {
    method: check.method,
    headers: {
      [REQUEST_ID_HEADER]: newId("req"),
      ...visitorHeader(check),
      ...(hasBody ? { "content-type": "application/json" } : {}),
    },
    ...(hasBody ? { body: JSON.stringify(check.body) } : {}),
    redirect: "manual",
  });
}

function visitorHeader(check: AppCheck): Record<string, string> {
  if (check.as === undefined) return {};
  const roles = check.as === "visitor" ? [] : [check.as];
  return { [VISITOR_HEADER]: JSON.stringify({ id: "vis_check", email: "check@kiln.invalid", roles }) };
}

/** The Kiln-only event a trigger check sends, shaped as a real run or a verified Stripe delivery is. */
function triggerRequest(baseUrl: string, trigger: CheckTrigger, index: number): Request {
  const kind = "automation" in trigger ? "automation" : "stripe";
  const body =
    "automation" in trigger
      ? {
          name: trigger.automation,
          run: {
            name: trigger.automation,
            trigger: "manual",
            scheduledAt: null,
            attempt: 1,
            idempotencyKey: `check:${newId("req")}:${index}`,
            input: trigger.input ?? null,
          },
        }
      : {
          id: `evt_check_${index}`,
          object: "event",
          type: trigger.stripe,
          created: Math.floor(Date.now() / 1000),
          livemode: false,
          data: { object: { id: `obj_check_${index}`, object: trigger.stripe.split(".")[0], ...trigger.object } },
        };
  return new Request(new URL(`/__kiln/${kind}`, baseUrl), {
    method: "POST",
    headers: { [REQUEST_ID_HEADER]: newId("req"), [INVOKE_HEADER]: kind, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Why an answer fails a check, or null when it passes. */
export function checkVerdict(check: AppCheck, status: number, body: string): string | null {
  const what = check.trigger
    ? "automation" in check.trigger
      ? `running automation ${check.trigger.automation}`
      : `the Stripe event ${check.trigger.stripe}`
    : `${check.method} ${check.path}`;
  if (check.trigger) {
    const answer = parseJson(body) as { ok?: unknown; output?: unknown; error?: unknown } | undefined;
    if (answer?.ok !== true)
      return `"${check.name}": ${what} failed: ${answer && "error" in answer ? String(answer.error) : body.slice(0, 200)}`;
    return jsonVerdict(check, what, answer.output);
  }
  if (check.status !== undefined ? status !== check.status : status >= 400) {
    return `"${check.name}": ${what} answered ${status}, expected ${check.status ?? "below 400"}${body ? ` (${body.slice(0, 200)})` : ""}`;
  }
  if (check.contains !== undefined && !body.includes(check.contains)) {
    return `"${check.name}": ${what} did not contain ${JSON.stringify(check.contains)}`;
  }
  if (check.json !== undefined) {
    const parsed = parseJson(body);
    if (parsed === undefined) return `"${check.name}": ${what} did not answer JSON (${body.slice(0, 120)})`;
    return jsonVerdict(check, what, parsed);
  }
  return null;
}

function jsonVerdict(check: AppCheck, what: string, value: unknown): string | null {
  for (const [path, expected] of Object.entries(check.json ?? {})) {
    const actual = valueAt(value, path);
    if (JSON.stringify(actual) !== JSON.stringify(expected))
      return `"${check.name}": ${what} had ${path} = ${JSON.stringify(actual) ?? "nothing"}, expected ${JSON.stringify(expected)}`;
  }
  return null;
}

/** The value at a dotted path (`items.0.name`; `items.length` counts a list). */
export function valueAt(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const part of path.split(".")) {
    if (Array.isArray(current) && part === "length") current = current.length;
    else if (typeof current === "object" && current !== null && Object.hasOwn(current, part))
      current = (current as Record<string, unknown>)[part];
    else return undefined;
  }
  return current;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
