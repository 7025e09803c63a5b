// The JSON a connection's vault entry holds. Only the vault and the code
// that injects credentials ever see it in clear.
import { z } from "zod";

/** A Stripe or Airtable key, as the owner pasted it. */
export interface ApiKeyCredential {
  kind: "api_key";
  key: string;
}

/** Google tokens from the OAuth flow. */
export interface OAuthCredential {
  kind: "oauth2";
  accessToken: string;
  refreshToken: string;
  /** ISO time the access token stops working. */
  expiresAt: string;
  /** Granted scopes, space-separated. */
  scope: string;
}

/** What a connection's vault entry decrypts to. */
export type StoredCredential = ApiKeyCredential | OAuthCredential;

const storedCredentialSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("api_key"), key: z.string().min(1) }),
  z.object({
    kind: z.literal("oauth2"),
    accessToken: z.string().min(1),
    refreshToken: z.string().min(1),
    expiresAt: z.string(),
    scope: z.string(),
  }),
]);

/** Parses decrypted vault text; anything else is a broken entry, reported without its content. */
export function parseStoredCredential(text: string, connectionId: string): StoredCredential {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const parsed = storedCredentialSchema.safeParse(value);
  if (!parsed.success) throw new Error(`the stored credential of ${connectionId} is not in the expected format`);
  return parsed.data;
}
