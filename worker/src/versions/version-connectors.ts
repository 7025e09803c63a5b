import type { ConnectorId } from "../../../connectors/types";

// Every connector id, so a stored list is read back as ConnectorId[] and a new
// id added to the union without being listed here fails to compile.
const KNOWN_CONNECTORS: Readonly<Record<ConnectorId, true>> = { stripe: true, airtable: true, google: true };

/** Whether `value` names a connector Kiln ships. */
export function isConnectorId(value: unknown): value is ConnectorId {
  return typeof value === "string" && Object.hasOwn(KNOWN_CONNECTORS, value);
}

/** A version's stored `connectors_json` as connector ids, sorted; ids Kiln no longer ships are dropped. */
export function parseConnectorList(json: string): ConnectorId[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter(isConnectorId).sort() : [];
}
