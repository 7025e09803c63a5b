// An app exporting tools, for the MCP tests: a public one anyone may call, one only the role `sales` may, one that
// echoes the caller and Kiln headers it received (so a test sees what reached the tool), and one that throws.
import { SELF } from "cloudflare:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type OAuthClientProvider, UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";

/** The source of an app with tools and a `leads` table. */
export const toolsApp: Record<string, string> = {
  "src/index.ts": `import { Hono } from "hono";
import { z } from "zod";
import { defineTables, type AppEnv, type Tools } from "kiln";

export const tables = defineTables({ leads: { name: "text", email: "text", added_by: "text?" } });
export const roles = ["sales"];

export const tools: Tools<typeof tables> = {
  addLead: {
    description: "Add a lead to the CRM",
    input: z.object({ name: z.string().min(1), email: z.string().email() }),
    run: async (input, env, caller) => env.DB.insert("leads", { ...input, added_by: caller?.email ?? null }),
  },
  countLeads: {
    description: "How many leads there are (sales only)",
    input: z.object({}),
    roles: ["sales"],
    run: async (_input, env) => ({ count: await env.DB.count("leads") }),
  },
  whoAmI: {
    description: "Who is calling, as the tool sees it",
    input: z.object({}),
    run: async (_input, _env, caller) => ({ caller }),
  },
  explode: {
    description: "Always fails",
    input: z.object({}),
    run: async () => {
      throw new Error("the tool exploded");
    },
  },
};

const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();
app.get("/", (c) => c.text("tools app"));
app.get("/leads", async (c) => c.json(await c.env.DB.list("leads")));
app.all("/mcp", (c) => c.text("the app's own /mcp", 418));
export default app;
`,
};

/** `fetch` for the SDK inside the workerd pool: requests go to the test's own Kiln (app hosts included). */
export const poolFetch: typeof fetch = (input, init) => SELF.fetch(new Request(input, init));

/** A connected SDK client of an app host's `/mcp` (`token`: a bearer token; `authProvider`: the SDK's OAuth flow). */
export async function mcpClient(hostUrl: string, options: { token?: string; authProvider?: OAuthClientProvider } = {}) {
  const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const transport = new StreamableHTTPClientTransport(new URL("mcp", hostUrl), {
    fetch: poolFetch,
    requestInit: { headers },
    ...(options.authProvider ? { authProvider: options.authProvider } : {}),
  });
  const client = new Client({ name: "kiln-test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

/** What an MCP client's OAuth leaves in its keeping, in memory (the SDK asks a provider to store it). */
export class MemoryOAuthProvider implements OAuthClientProvider {
  client: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = "";
  authorizationUrl: URL | null = null;
  readonly redirectUrl = "http://127.0.0.1:33418/callback";
  readonly clientMetadata = {
    client_name: "Test Assistant",
    redirect_uris: [this.redirectUrl],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
  };
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/** The Fetch Metadata a browser sends when a person opens a link in a tab (the assistant opens the authorize URL). */
export const OPENED_IN_TAB: Record<string, string> = {
  "sec-fetch-site": "none",
  "sec-fetch-mode": "navigate",
  "sec-fetch-dest": "document",
  "sec-fetch-user": "?1",
};

/** The Fetch Metadata a browser sends when a person clicks a button of a same-origin form shown in a tab. */
export const CLICKED_IN_TAB: Record<string, string> = { ...OPENED_IN_TAB, "sec-fetch-site": "same-origin" };

/** What a script's `fetch` of its own origin carries (`mode: "cors"`; no navigation, no user activation). */
export const SCRIPT_FETCH: Record<string, string> = {
  "sec-fetch-site": "same-origin",
  "sec-fetch-mode": "cors",
  "sec-fetch-dest": "empty",
};

/** A consent page's hidden fields (its CSRF token included), as the browser posts them back. */
export function consentFormFields(html: string): URLSearchParams {
  const fields = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields.set(
      name!,
      value!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
    );
  return fields;
}

/**
 * The browser's part of the OAuth dance on an app host (or Kiln's own): opens the authorization URL as the signed-in visitor
 * (`cookie`) in a tab, reads the consent form, clicks Allow (with the Fetch Metadata a browser sends for each), and
 * answers the code from the redirect back to the client.
 */
export async function consentAs(cookie: string, authorizationUrl: URL | string): Promise<string> {
  const page = await SELF.fetch(authorizationUrl.toString(), {
    headers: { cookie, ...OPENED_IN_TAB },
    redirect: "manual",
  });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`authorize answered ${page.status}: ${html.slice(0, 200)}`);
  const fields = consentFormFields(html);
  fields.set("decision", "allow");
  const url = new URL(authorizationUrl.toString());
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1] ?? "/_kiln/oauth/authorize";
  const allowed = await SELF.fetch(new URL(action, url).toString(), {
    method: "POST",
    headers: { cookie, origin: url.origin, "content-type": "application/x-www-form-urlencoded", ...CLICKED_IN_TAB },
    body: fields.toString(),
    redirect: "manual",
  });
  const location = new URL(allowed.headers.get("location") ?? "http://none/");
  const code = location.searchParams.get("code");
  if (!code) throw new Error(`no code in the redirect (${allowed.status}): ${location}`);
  return code;
}

/**
 * The SDK client's whole OAuth flow: discovery, registration, authorize (as `cookie`'s visitor, or on Kiln's own host
 * as its owner, with `authorizePath` `/api/oauth/authorize`), token; then connects.
 */
export async function connectWithOAuth(hostUrl: string, cookie: string, authorizePath = "/_kiln/oauth/authorize") {
  const provider = new MemoryOAuthProvider();
  const transport = new StreamableHTTPClientTransport(new URL("mcp", hostUrl), {
    fetch: poolFetch,
    authProvider: provider,
  });
  const refused = await new Client({ name: "kiln-test", version: "1.0.0" })
    .connect(transport)
    .catch((error: unknown) => error);
  if (!(refused instanceof UnauthorizedError))
    throw new Error(`expected the client to need OAuth, got ${String(refused)}`);
  if (provider.authorizationUrl?.pathname !== authorizePath)
    throw new Error(`unexpected authorization URL ${provider.authorizationUrl}`);
  await transport.finishAuth(await consentAs(cookie, provider.authorizationUrl));
  const client = await mcpClient(hostUrl, { authProvider: provider });
  return { client, provider };
}
