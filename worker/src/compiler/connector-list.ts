import { type ConnectorId, isConnectorId } from "../../../connectors/types";

/** A version's stored `connectors_json` as connector ids, sorted; ids Kiln no longer ships are dropped. */
export function parseConnectorList(json: string): ConnectorId[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter(isConnectorId).sort() : [];
}
