import type { Environment } from "../core/env";
import type { RequestEntry } from "../core/api-shapes/requests";

// What the tail makes of an app's requests, as it travels from the runner to the control plane's tables.

/** A request-log row as it is written (from the tail: `trace-to-requests.ts`). */
export type NewRequestEntry = Omit<RequestEntry, "id"> & { appId: string };

/** Requests and errors of one app environment in one minute (`minute`: the ISO time it starts). */
export interface RequestTally {
  appId: string;
  environment: Environment;
  minute: string;
  requests: number;
  serverErrors: number;
  clientErrors: number;
}

/** Whether a record of the runner's batch is a tally (log lines have a `level`, request rows a `method`). */
export function isRequestTally(record: object): record is RequestTally {
  return "minute" in record && "requests" in record;
}
