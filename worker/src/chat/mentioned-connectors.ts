import type { ConnectorId } from "../../../connectors/types";

// Words that mean a request probably needs a service, so its declaration is in the context.
const cues: Record<ConnectorId, RegExp> = {
  stripe: /\b(stripe|payments?|pay|checkout|invoices?|subscriptions?|refunds?|billing|charge|prices?)\b/i,
  airtable: /\b(airtable|bases?)\b/i,
  google: /\b(google|calendar|events?|sheets?|spreadsheets?|gmail|e-?mails?|free\/busy|drive)\b/i,
};

/** The connectors a person's words hint at, e.g. "take payments" → stripe. */
export function mentionedConnectors(text: string): ConnectorId[] {
  return (Object.keys(cues) as ConnectorId[]).filter((id) => cues[id].test(text));
}
