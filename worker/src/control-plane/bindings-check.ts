// Compile-time only: the bindings wrangler generates from wrangler.jsonc (worker-configuration.d.ts, `npm run
// types`) must be what core/env.ts promises the features, and the untyped Durable Object and service bindings there
// must be the classes the features cast them to. Any drift fails `tsc`; nothing here runs.
import type { PlatformBindings } from "../core/env";
import type { AutomationDispatcher } from "../automations/dispatcher";
import type { TurnRunner } from "../chat/turn-runner";
import type { AppDataStore } from "../data/app-data-store";
import type { AppRunnerService } from "../isolates/remote-runner";
import type { RoutingEntrypoint } from "../serving/app-lookup";

type Holds<Condition extends true> = Condition;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Each line is a fact `tsc` checks; a false one is a compile error naming it. */
export type BindingsMatch = [
  // Every binding and variable core lists is generated, with a type the features can use as core says.
  Holds<KilnBindings extends PlatformBindings ? true : false>,
  // …and nothing generated is missing from core's list.
  Holds<Same<Exclude<keyof KilnBindings, keyof PlatformBindings>, never>>,
  // APP_DATA is the AppDataStore class (appDataNamespace casts to it).
  Holds<KilnBindings["APP_DATA"] extends DurableObjectNamespace<AppDataStore> ? true : false>,
  // AUTOMATION_DISPATCHER is the AutomationDispatcher class (dispatchRuns casts to it).
  Holds<KilnBindings["AUTOMATION_DISPATCHER"] extends DurableObjectNamespace<AutomationDispatcher> ? true : false>,
  // TURN_RUNNER is the TurnRunner class (turnRunnerOf casts to it).
  Holds<KilnBindings["TURN_RUNNER"] extends DurableObjectNamespace<TurnRunner> ? true : false>,
  // RUNNER is the runner Worker, with the surface RemoteRunner calls and the routing-table push appChanged makes.
  Holds<NonNullable<KilnBindings["RUNNER"]> extends AppRunnerService ? true : false>,
  Holds<NonNullable<KilnBindings["RUNNER"]> extends Service<RoutingEntrypoint> ? true : false>,
];
