// Which provider an owner's pasted AI key belongs to. Anthropic keys start with sk-ant-, OpenAI ones with sk-
// (sk-proj-, sk-svcacct-, or the older plain sk-), so the connection form stays one field like Stripe's.

/** The providers an owner's own key may be for. */
export type OwnerModelProvider = "openai" | "anthropic";

/** The provider of `key`, or null when it looks like neither (the form then says what a key looks like). */
export function ownerModelProvider(key: string): OwnerModelProvider | null {
  if (/^sk-ant-[A-Za-z0-9_-]{16,}$/.test(key)) return "anthropic";
  if (/^sk-[A-Za-z0-9_-]{16,}$/.test(key)) return "openai";
  return null;
}

/** The model an owner's key answers apps with: small and cheap, since apps classify and summarise. */
export const OWNER_MODELS: Readonly<Record<OwnerModelProvider, string>> = {
  openai: "gpt-4.1-mini",
  anthropic: "claude-haiku-4-5",
};

/** The real API base of each provider (AI_API_BASE replaces it in tests). */
export const PROVIDER_API_BASES: Readonly<Record<OwnerModelProvider, string>> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com/v1",
};
