// Shape checks of pasted keys, so an obvious mistake (a publishable key, a
// truncated paste) is explained before anything is sent upstream.
import { ownerModelProvider } from "../../../connectors/ai/model-key";
import type { ConnectorId } from "../../../connectors/types";

/** The connectors an owner connects by pasting a key. */
export type ApiKeyConnectorId = Extract<ConnectorId, "stripe" | "airtable" | "ai">;

/** Why `key` cannot be a key of this connector, in words the owner can act on; null when it may be. Never echoes the key. */
export function apiKeyProblem(connector: ApiKeyConnectorId, key: string): string | null {
  if (/\s/.test(key)) return "The key contains spaces or line breaks; copy it again without them.";
  if (connector === "stripe") {
    if (/^pk_/.test(key))
      return "This is a publishable key (pk_…). Kiln needs a secret key (sk_…) or a restricted key (rk_…): Stripe Dashboard → Developers → API keys.";
    if (!/^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/.test(key)) {
      return "Stripe keys start with sk_test_, sk_live_, rk_test_ or rk_live_: copy the secret or restricted key from Stripe Dashboard → Developers → API keys.";
    }
    return null;
  }
  if (connector === "ai") {
    if (ownerModelProvider(key) === null)
      return "Paste an OpenAI API key (sk-…, from platform.openai.com/api-keys) or an Anthropic one (sk-ant-…, from console.anthropic.com).";
    return null;
  }
  if (!/^pat[A-Za-z0-9]{8,}\.[A-Za-z0-9]{16,}$/.test(key)) {
    return "Airtable personal access tokens start with pat and contain a dot (pat…….……): create one at https://airtable.com/create/tokens.";
  }
  return null;
}
