// Google sends the owner back to /connections?connection=<id> or
// ?connectionError=<message> (worker/src/connections/routes.ts, the callback).

/** How the Google sign-in the owner just came back from ended, or null when they did not. */
export type GoogleReturn = { kind: "connected"; connectionId: string } | { kind: "failed"; message: string } | null;

/** Long enough for every message the API writes; a crafted link cannot fill the page. */
const MAX_MESSAGE_LENGTH = 400;

/** Reads the callback's outcome from the page's query string. */
export function readGoogleReturn(url: URL): GoogleReturn {
  const error = url.searchParams.get("connectionError");
  if (error !== null && error.trim() !== "") {
    const message = error.trim();
    return {
      kind: "failed",
      message: message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message,
    };
  }
  const connectionId = url.searchParams.get("connection");
  if (connectionId !== null && connectionId !== "") return { kind: "connected", connectionId };
  return null;
}
