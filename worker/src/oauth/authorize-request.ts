// The start of every Kiln OAuth server's `authorize`: find the client, accept only one of its registered redirect
// URIs, read the request, and say what is wrong with it. Each server keeps its own storage, pages and sign-in.
import type { AuthorizeRequest } from "./consent-form";
import { authorizeProblem } from "./oauth-responses";

/** What `authorize` needs of a registered client, however its server stores it. */
export interface KnownClient {
  id: string;
  name: string;
  redirectUris: string[];
}

/** A request of a known client to one of its redirect URIs; `problem` (else null) goes back there as the error. */
export interface CheckedAuthorize<C extends KnownClient> {
  client: C;
  asked: AuthorizeRequest;
  problem: Record<string, string> | null;
}

/**
 * Reads an authorization request (query or posted form) for `resource`. Null when the client or its redirect URI is
 * unknown: the caller shows a page then, never redirects (an open redirector otherwise).
 */
export async function checkAuthorizeRequest<C extends KnownClient>(
  fields: URLSearchParams,
  findClient: (clientId: string) => Promise<C | null>,
  resource: string,
): Promise<CheckedAuthorize<C> | null> {
  const client = await findClient(fields.get("client_id") ?? "");
  const redirectUri = fields.get("redirect_uri") ?? client?.redirectUris[0] ?? "";
  if (!client?.redirectUris.includes(redirectUri)) return null;
  const asked: AuthorizeRequest = {
    clientId: client.id,
    redirectUri,
    codeChallenge: fields.get("code_challenge") ?? "",
    state: fields.get("state"),
    resource: fields.get("resource"),
  };
  return { client, asked, problem: authorizeProblem(fields, asked, resource) };
}
