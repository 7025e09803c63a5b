// PKCE (RFC 7636) as OAuth 2.1 requires it of every client: only S256, checked the same way by every Kiln OAuth server.

/** Whether a client's `code_challenge` has S256's shape (base64url of a SHA-256, or a longer challenge). */
export function isPkceChallenge(challenge: string): boolean {
  return /^[A-Za-z0-9_-]{43,128}$/.test(challenge);
}

/** RFC 7636's S256: base64url(SHA-256(verifier)) without padding; a malformed verifier answers null, never a match. */
export async function pkceChallenge(verifier: string): Promise<string | null> {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return null;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  let binary = "";
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
