// Upstream services sometimes echo the credential they rejected (in full or
// in part); nothing that came back from one reaches a response, a log or an
// audit record without passing through here.

/** What a removed secret is replaced with. */
export const REDACTED = "[redacted]";

// Shapes of credentials Kiln handles, caught even when we do not know the exact value.
const CREDENTIAL_SHAPES: readonly RegExp[] = [
  /\b(?:sk|rk)_(?:test|live)_[A-Za-z0-9]{4,}/g, // Stripe secret and restricted keys
  /\bpat[A-Za-z0-9]{8,}\.[A-Za-z0-9]{8,}/g, // Airtable personal access tokens
  /\bya29\.[A-Za-z0-9_.-]+/g, // Google access tokens
  /\b1\/\/[A-Za-z0-9_-]{8,}/g, // Google refresh tokens
  /\bkiln_pat_[A-Za-z0-9]+/g, // Kiln API tokens
];

const MAX_MESSAGE_LENGTH = 400;

/**
 * `text` with every known secret (and anything shaped like a credential)
 * replaced, cut to a length fit for an error message.
 */
export function redactSecrets(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text;
  // Longest first, so a secret that contains another is removed whole.
  const known = secrets
    .filter((secret): secret is string => typeof secret === "string" && secret.length >= 6)
    .sort((a, b) => b.length - a.length);
  for (const secret of known) out = out.split(secret).join(REDACTED);
  for (const shape of CREDENTIAL_SHAPES) out = out.replace(shape, REDACTED);
  return out.length > MAX_MESSAGE_LENGTH ? `${out.slice(0, MAX_MESSAGE_LENGTH)}…` : out;
}

/** The last 4 characters of a secret: the most of it the API ever shows. */
export function lastFour(secret: string): string {
  return secret.slice(-4);
}
