import { newId } from "../core/ids";
import { FRONT_HEADER, KILN_HEADER_PREFIX, REQUEST_ID_HEADER } from "../core/headers";

/** Header with which the front door proves (a secret only it and the runners hold) that it set the request id. */
const REQUEST_ID = /^req_[0-9a-f]{20}$/;

/**
 * What the front door forwards to a runner: the visitor's request without any `x-kiln-*` header of theirs, with
 * a request id the runner keeps, so a page the front door serves when the runner dies names the id in the logs.
 */
export function stampForRunner(request: Request, secret: string): { request: Request; requestId: string } {
  const headers = new Headers(request.headers);
  for (const name of [...headers.keys()]) if (name.startsWith(KILN_HEADER_PREFIX)) headers.delete(name);
  const requestId = newId("req");
  headers.set(REQUEST_ID_HEADER, requestId);
  headers.set(FRONT_HEADER, secret);
  return { request: new Request(request, { headers }), requestId };
}

/** The id the front door gave a request, when it proves it was the front door; otherwise null (the runner makes one). */
export function frontRequestId(request: Request, secret: string | undefined): string | null {
  if (!secret || request.headers.get(FRONT_HEADER) !== secret) return null;
  const id = request.headers.get(REQUEST_ID_HEADER);
  return id && REQUEST_ID.test(id) ? id : null;
}
