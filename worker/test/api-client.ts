import { SELF } from "cloudflare:test";

/** The platform host tests talk to (APPS_DOMAIN in wrangler.jsonc). */
export const PLATFORM = "http://localhost:8787";

/** A response body as parsed JSON. */
// biome-ignore lint/suspicious/noExplicitAny: tests read every route's JSON by path and let `expect` check its shape; typing each would restate the API in every test.
export type ResponseBody = any;

/** A signed-in test user: calls the API with their bearer token. */
export interface TestUser {
  id: string;
  email: string;
  token: string;
  cookie: string;
  call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: ResponseBody; text: string; headers: Headers }>;
}

let counter = 0;

/** Calls the platform API through the real Worker entry, as a script would. */
export async function callApi(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await SELF.fetch(`${PLATFORM}${path}`, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: response.status, body: parsed as ResponseBody, text, headers: response.headers };
}

/** How a test user's new apps start: `public` previews (most tests fetch them as anyone), or Kiln's default. */
export interface TestUserOptions {
  /** `public` (default): each app the user creates gets a public preview, as if set in the Access tab. */
  previews?: "public" | "default";
}

/** Signs up a fresh user and creates a bearer token for them. */
export async function newUser(options: TestUserOptions = {}): Promise<TestUser> {
  const email = `user${Date.now()}-${++counter}-${Math.random().toString(36).slice(2, 6)}@example.com`;
  const signup = await callApi("POST", "/api/auth/signup", { email, password: "correct horse battery" });
  if (signup.status !== 201) throw new Error(`signup failed: ${signup.text}`);
  const cookie = (signup.headers.get("set-cookie") ?? "").split(";")[0]!;
  const token = await callApi("POST", "/api/tokens", { name: "tests" }, { cookie });
  if (token.status !== 201) throw new Error(`token failed: ${token.text}`);
  return {
    id: signup.body.user.id,
    email,
    token: token.body.token,
    cookie,
    call: async (method, path, body) => {
      const authorization = { authorization: `Bearer ${token.body.token}` };
      const answer = await callApi(method, path, body, authorization);
      // Kiln keeps a preview to its owner by default; the tests that are not about access open it, as an owner can.
      if (method === "POST" && path === "/api/apps" && answer.status === 201 && options.previews !== "default") {
        const opened = await callApi(
          "PUT",
          `/api/apps/${answer.body.id}/access/preview`,
          { rule: "public" },
          authorization,
        );
        if (opened.status !== 200) throw new Error(`opening the preview failed: ${opened.text}`);
      }
      return answer;
    },
  };
}

/** Fetches a page of an app host, as a visitor would. */
export async function visit(url: string, init?: RequestInit) {
  const response = await SELF.fetch(url, init);
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/**
 * The cookie of an owner's session on one environment of their app, as the workspace's one-time link starts it.
 * `url` is any URL on the app's host (preview hosts end in `--preview`).
 */
export async function ownerCookie(user: TestUser, appId: string, url: string): Promise<string> {
  const target = new URL(url);
  const environment = target.hostname.split(".")[0]!.endsWith("--preview") ? "preview" : "live";
  const link = await user.call("POST", `/api/apps/${appId}/visit`, { environment });
  if (link.status !== 200) throw new Error(`owner link failed: ${link.text}`);
  const entered = await SELF.fetch(link.body.url, { redirect: "manual" });
  const cookie = (entered.headers.get("set-cookie") ?? "").split(";")[0]!;
  if (!cookie.includes("=")) throw new Error(`the owner link set no session: ${entered.status}`);
  return cookie;
}

/** Fetches a page of the user's own app as its owner (see ownerCookie). */
export async function visitAsOwner(user: TestUser, appId: string, url: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set("cookie", await ownerCookie(user, appId, url));
  return visit(url, { ...init, headers });
}
