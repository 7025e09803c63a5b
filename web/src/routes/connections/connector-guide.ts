// What each service is for and where its owner finds a key, in plain words for
// the Connections page. Shown next to the API's own labels and statuses.
import type { ConnectorId } from "$shapes";

/** The help text of one service's card. */
export interface ConnectorGuide {
  /** What apps can do once it is connected. */
  purpose: string;
  /** Label of the key field (key-based services only). */
  keyLabel: string;
  /** Where to find the key, one line. */
  keyHint: string;
  /** What a demo connection of it is. */
  demoNote: string;
}

const GUIDES: Readonly<Record<ConnectorId, ConnectorGuide>> = {
  stripe: {
    purpose:
      "Lets your apps take payments, send invoices and manage customers and subscriptions in your Stripe account.",
    keyLabel: "Stripe secret key",
    keyHint:
      "In the Stripe dashboard: Developers → API keys. Use the secret key (starts with sk_…) or a restricted key (rk_…).",
    demoNote: "A simulated Stripe on this Kiln: no real money moves.",
  },
  airtable: {
    purpose: "Lets your apps read and write the records in your Airtable bases.",
    keyLabel: "Airtable personal access token",
    keyHint:
      "In Airtable: Builder hub → Personal access tokens. Create one for the bases your apps use (it starts with pat…).",
    demoNote: "A simulated Airtable on this Kiln, with sample bases: your real bases are not touched.",
  },
  google: {
    purpose: "Lets your apps use your Google Calendar and Sheets and send email from your Gmail.",
    keyLabel: "",
    keyHint: "",
    demoNote: "A simulated Google account on this Kiln: no real calendar, sheet or mailbox is touched.",
  },
  ai: {
    purpose:
      "Your apps' AI calls (kiln/ai: classify, summarise) use your own OpenAI or Anthropic key instead of this Kiln's model. Each app still stops at its monthly token budget (its Settings).",
    keyLabel: "OpenAI or Anthropic API key",
    keyHint: "OpenAI: platform.openai.com → API keys (sk-…). Anthropic: console.anthropic.com → API keys (sk-ant-…).",
    demoNote: "Without a key, apps use this Kiln's model, or its demo model that gives fixed answers.",
  },
};

/** The guide for `connector`; a service this page does not know yet gets neutral wording. */
export function connectorGuide(connector: string, label: string): ConnectorGuide {
  if (isKnown(connector)) return GUIDES[connector];
  return {
    purpose: `Lets your apps use ${label}.`,
    keyLabel: `${label} key`,
    keyHint: "",
    demoNote: `A simulated ${label} on this Kiln.`,
  };
}

function isKnown(connector: string): connector is ConnectorId {
  return Object.hasOwn(GUIDES, connector);
}
