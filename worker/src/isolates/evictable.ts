import type { AppBundle } from "../compiler";
import { RESERVED_DIRECTORY } from "../core/api-shapes/source-rules";

/** The entrypoint every app isolate gets from the runner, through which the runner unloads it. */
export const EVICT_ENTRYPOINT = "KilnEvict";

const EVICT_MODULE = `${RESERVED_DIRECTORY}/evict.js`;
const EVICTABLE_MAIN = `${RESERVED_DIRECTORY}/evictable-main.js`;

// workerd keeps a named loader isolate until the process ends: nothing on the loader or the stub unloads one, and
// no setting caps them (≈1,000–2,000 isolates exhaust V8's 4 GiB heap reservation and abort the process). The one
// way out is `abortIsolate()` called inside the isolate itself: workerd then drops the name, frees the isolate
// once its last request ends, and a later `get()` of the same id loads it afresh. Deferred to the next turn so
// the runner's call returns normally (called directly, the caller gets an internal error and workerd logs it).
// Evaluated before any app module (it is imported first), so the timer it keeps is the platform's own.
const EVICT_SOURCE = `import { WorkerEntrypoint, abortIsolate } from "cloudflare:workers";
const later = setTimeout;
export class ${EVICT_ENTRYPOINT} extends WorkerEntrypoint {
  evict() {
    this.ctx.waitUntil(new Promise((resolve) => later(() => { resolve(true); abortIsolate("unloaded by Kiln to keep the runner within its memory budget"); }, 0)));
    return true;
  }
}
`;

/** Adds the eviction entrypoint to a bundle, keeping every export of its own main module. */
export function withEviction(bundle: AppBundle): AppBundle {
  const main = relativeToReserved(bundle.mainModule);
  return {
    mainModule: EVICTABLE_MAIN,
    modules: {
      ...bundle.modules,
      [EVICT_MODULE]: EVICT_SOURCE,
      [EVICTABLE_MAIN]: `import { ${EVICT_ENTRYPOINT} } from "./evict.js";
export { ${EVICT_ENTRYPOINT} };
export * from ${JSON.stringify(main)};
export { default } from ${JSON.stringify(main)};
`,
    },
  };
}

/** The bundle's own main module, as imported from the reserved directory. */
export function relativeToReserved(mainModule: string): string {
  const inside = `${RESERVED_DIRECTORY}/`;
  return mainModule.startsWith(inside) ? `./${mainModule.slice(inside.length)}` : `../${mainModule}`;
}
