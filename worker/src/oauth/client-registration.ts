// Dynamic client registration (RFC 7591) as every Kiln OAuth server takes it: public clients only, 1 to 5 redirect
// URIs, each https or loopback http (RFC 8252). Where the client is stored is the caller's business.
import { oauthError } from "./oauth-responses";

/** A registration request Kiln accepts: the client's display name and its redirect URIs. */
export interface ClientRegistration {
  name: string;
  redirectUris: string[];
}

/** Redirect URIs a client may register: https anywhere, or http on the loopback only (native apps, RFC 8252). */
export function allowedRedirect(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.hash !== "" || url.username !== "" || url.password !== "") return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

/** Reads a registration request's JSON body: the registration, or the RFC 7591 error answer to send instead. */
export async function readRegistration(request: Request): Promise<ClientRegistration | Response> {
  const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
  const uris = body?.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0 || uris.length > 5)
    return oauthError("invalid_redirect_uri", "Give 1 to 5 redirect_uris.");
  const bad = uris.find((uri) => typeof uri !== "string" || !allowedRedirect(uri));
  if (bad !== undefined)
    return oauthError(
      "invalid_redirect_uri",
      `${String(bad)} is not an https URL or a loopback http URL without a fragment.`,
    );
  const name =
    typeof body?.client_name === "string" && body.client_name.trim()
      ? body.client_name.trim().slice(0, 100)
      : "An MCP client";
  return { name, redirectUris: uris as string[] };
}

/** RFC 7591's answer for a client just registered under `id`. */
export function registeredClient(id: string, registration: ClientRegistration): Response {
  return Response.json(
    {
      client_id: id,
      client_id_issued_at: Math.floor(Date.now() / 1000),
      client_name: registration.name,
      redirect_uris: registration.redirectUris,
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      // Public clients only: a secret in an assistant on someone's laptop protects nothing; PKCE does.
      token_endpoint_auth_method: "none",
    },
    { status: 201, headers: { "cache-control": "no-store" } },
  );
}
