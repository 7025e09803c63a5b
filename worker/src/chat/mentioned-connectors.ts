import type { ConnectorId } from "../../../connectors/types";

// Words that mean a request probably needs a service, so its declaration is in the context.
const cues: Record<ConnectorId, RegExp> = {
  stripe: /\b(stripe|payments?|pay|checkout|invoices?|subscriptions?|refunds?|billing|charge|prices?)\b/i,
  airtable: /\b(airtable|bases?)\b/i,
  google: /\b(google|calendar|events?|sheets?|spreadsheets?|gmail|e-?mails?|free\/busy|drive)\b/i,
  // "Summary" alone is a page of totals more often than a model's prose: only the verbs count.
  ai: /\b(ai|llm|gpt|chatgpt|claude|openai|anthropic|classif(y|ies|ied|ication)|categori[sz]e[sd]?|summari[sz]e[sd]?|sentiment|translat(e|es|ion)|chatbot)\b/i,
};

/** The connectors a person's words hint at, e.g. "take payments" → stripe. */
export function mentionedConnectors(text: string): ConnectorId[] {
  return (Object.keys(cues) as ConnectorId[]).filter((id) => cues[id].test(text));
}
