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

/** Signs up a fresh user and creates a bearer token for them. */
export async function newUser(): Promise<TestUser> {
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
    call: (method, path, body) => callApi(method, path, body, { authorization: `Bearer ${token.body.token}` }),
  };
}

/** Fetches a page of an app host, as a visitor would. */
export async function visit(url: string, init?: RequestInit) {
  const response = await SELF.fetch(url, init);
  return { status: response.status, text: await response.text(), headers: response.headers };
}
