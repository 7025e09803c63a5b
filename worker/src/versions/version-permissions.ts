import type { ConnectorId } from "../../../connectors/types";
import { CONNECTOR_RULES } from "../connections/connector-catalog";
import type { VersionPermissions } from "../core/api-shapes/versions";

/** The permissions of a version whose code imports `connectors`. */
export function versionPermissions(connectors: readonly ConnectorId[]): VersionPermissions {
  const granted = [...new Set(connectors)].sort().map((id) => {
    const rule = CONNECTOR_RULES[id];
    return { id, label: rule.label, hosts: [...rule.hosts] };
  });
  return { connectors: granted, hosts: [...new Set(granted.flatMap((c) => c.hosts))].sort() };
}
