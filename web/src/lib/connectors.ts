// How the services an app version uses (its `kiln/<id>` imports) are named to
// the owner. Ids come from the API (connectors/types.ts's ConnectorId).

const LABELS: Readonly<Record<string, string>> = { stripe: "Stripe", airtable: "Airtable", google: "Google", ai: "AI" };

/** "Stripe, Google" for ["stripe", "google"]; an id Kiln does not know yet is shown as it is. */
export function connectorNames(ids: readonly string[]): string {
  return ids.map((id) => LABELS[id] ?? id).join(", ");
}
