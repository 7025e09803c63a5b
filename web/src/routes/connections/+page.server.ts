import { fail, redirect } from "@sveltejs/kit";
import { connectorNames } from "$lib/connectors";
import { callApi, failWith, loadFromApi, rawField, seg, signInUrl, textField } from "$lib/server/api";
import type { Connection, ConnectionTestResult, ConnectionsOverview, McpGrant } from "$shapes";
import type { CardAction, CardOutcome } from "./card-outcome";
import { readGoogleReturn } from "./google-return";
import type { Actions, PageServerLoad } from "./$types";

/** Where Google sends the owner back to after they allow (or refuse) access. */
const RETURN_PATH = "/connections";

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, signInUrl(event.url));
  const [overview, { grants }] = await Promise.all([
    loadFromApi<ConnectionsOverview>(event, "/api/connections"),
    loadFromApi<{ grants: McpGrant[] }>(event, "/api/oauth/grants"),
  ]);
  return { ...overview, assistants: grants, googleReturn: readGoogleReturn(event.url) };
};

export const actions = {
  connect: async (event) => {
    const data = await event.request.formData();
    const connector = textField(data, "connector");
    // Only ever sent on to the API: no outcome below carries it back to the page.
    const key = rawField(data, "key").trim();
    const label = connectorNames([connector]);
    if (!key) return fail(400, outcome(connector, "connect", false, `Paste your ${label} key first.`));

    const result = await callApi<{ connection: Connection; warning: string | null }>(
      event,
      "PUT",
      `/api/connections/${seg(connector)}`,
      { key },
    );
    if (!result.ok) return failWith(event, result, outcome(connector, "connect", false, result.message));
    const { connection, warning } = result.data;
    return outcome(
      connector,
      "connect",
      true,
      `${label} is connected with the key ending in ${connection.last4 ?? "…"}.`,
      { warning: warning ?? undefined },
    );
  },
  demo: async (event) => {
    const connector = textField(await event.request.formData(), "connector");
    const label = connectorNames([connector]);
    const result = await callApi<{ connection: Connection }>(event, "PUT", `/api/connections/${seg(connector)}`, {
      demo: true,
    });
    if (!result.ok) return failWith(event, result, outcome(connector, "demo", false, result.message));
    return outcome(
      connector,
      "demo",
      true,
      `${label} is connected to the demo (a simulated ${label}, not your real account).`,
    );
  },
  google: async (event) => {
    const demo = textField(await event.request.formData(), "demo") === "true";
    const result = await callApi<{ authorizationUrl: string }>(event, "PUT", "/api/connections/google", {
      returnTo: RETURN_PATH,
      ...(demo ? { demo: true } : {}),
    });
    if (!result.ok) return failWith(event, result, outcome("google", "google", false, result.message));
    const authorizationUrl = webUrl(result.data.authorizationUrl);
    if (authorizationUrl === null)
      return fail(
        502,
        outcome("google", "google", false, "Kiln could not start the Google sign-in. Try again in a moment."),
      );
    // Not a redirect: the page's CSP (form-action 'self') would stop a form post from landing on Google.
    const next = demo
      ? "Next, allow access at the simulated Google (demo)."
      : "Next, choose your Google account and allow access.";
    return outcome("google", "google", true, next, { authorizationUrl });
  },
  test: async (event) => {
    const data = await event.request.formData();
    const connector = textField(data, "connector");
    const result = await callApi<{ result: ConnectionTestResult }>(
      event,
      "POST",
      `/api/connections/${seg(textField(data, "id"))}/test`,
    );
    if (!result.ok) return failWith(event, result, outcome(connector, "test", false, result.message));
    return outcome(connector, "test", result.data.result.ok, result.data.result.message);
  },
  disconnect: async (event) => {
    const data = await event.request.formData();
    const connector = textField(data, "connector");
    const label = connectorNames([connector]);
    // First press asks; only the confirmation form sends confirm=true.
    if (textField(data, "confirm") !== "true") return outcome(connector, "confirm_disconnect", true, "");

    const result = await callApi<{ ok: true; revoked?: boolean }>(
      event,
      "DELETE",
      `/api/connections/${seg(textField(data, "id"))}`,
    );
    if (!result.ok) return failWith(event, result, outcome(connector, "disconnect", false, result.message));
    const notRevoked =
      result.data.revoked === false
        ? " Google did not confirm that it removed Kiln's access; you can remove it yourself in your Google Account under Security → Your connections to third-party apps."
        : "";
    return outcome(
      connector,
      "disconnect",
      true,
      `${label} is disconnected. Apps that use ${label} cannot reach it until you connect it again.${notRevoked}`,
    );
  },
  /** Revokes an MCP client's grant: its tokens stop working at once. */
  disconnectAssistant: async (event) => {
    const data = await event.request.formData();
    const name = textField(data, "name") || "The assistant";
    const result = await callApi<{ ok: true }>(event, "DELETE", `/api/oauth/grants/${seg(textField(data, "id"))}`);
    if (!result.ok) return failWith(event, result, { assistant: { ok: false, message: result.message } });
    return { assistant: { ok: true, message: `${name} is disconnected: it can no longer use your Kiln.` } };
  },
} satisfies Actions;

function outcome(
  connector: string,
  action: CardAction,
  ok: boolean,
  message: string,
  extra: Pick<CardOutcome, "warning" | "authorizationUrl"> = {},
) {
  const card: CardOutcome = { connector, action, ok, message, ...extra };
  return { card };
}

/** `value` when it is an http(s) URL, so the page never links to a `javascript:` one. */
function webUrl(value: unknown): string | null {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
  } catch {
    return null;
  }
}
