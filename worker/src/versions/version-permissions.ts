import type { ConnectorId } from "../../../connectors/types";
import { CONNECTOR_RULES } from "../connections/connector-catalog";

/** One service a version may call, with the exact hosts the egress proxy lets it reach for that service. */
export interface ConnectorPermission {
  id: ConnectorId;
  label: string;
  hosts: string[];
}

/**
 * What a version is allowed to reach from its isolate: the connectors its
 * code imports and their hosts, exactly as the egress proxy judges them
 * (`handleEgress` builds its allow-list from the same rules). No connector: no outside service.
 */
export interface VersionPermissions {
  connectors: ConnectorPermission[];
  /** Every host of those connectors, sorted, without repeats. */
  hosts: string[];
}

/** The permissions of a version whose code imports `connectors`. */
export function versionPermissions(connectors: readonly ConnectorId[]): VersionPermissions {
  const granted = [...new Set(connectors)].sort().map((id) => {
    const rule = CONNECTOR_RULES[id];
    return { id, label: rule.label, hosts: [...rule.hosts] };
  });
  return { connectors: granted, hosts: [...new Set(granted.flatMap((c) => c.hosts))].sort() };
}
