import type { ConnectorId } from "../../../connectors/types";
import type { Environment } from "../core/env";

// A leaf of its own: the runner's EgressProxy needs these two names, and nothing of the egress decision (the vault,
// the connections) may follow them into the runner's bundle.

/** Identifies whose outbound call this is; fixed by Kiln when the isolate is created. */
export interface EgressProps {
  appId: string;
  environment: Environment;
  version: string;
  /** The connectors this version imports: the only hosts it may call. */
  connectors?: readonly ConnectorId[];
}

/** The version of a build's trial isolate (smoke start and checks): its AI calls are answered by the demo model. */
export const TRIAL_VERSION = "trial";

/** The message an app sees when it opens a raw socket. */
export const BLOCKED_SOCKET_MESSAGE = "raw network connections (connect()) are not allowed for this app";
