import type { AppBundle } from "../compiler";
import type { AppTarget } from "./app-runner";
import { REQUEST_ID_HEADER } from "../core/headers";
import { RESERVED_DIRECTORY } from "../core/api-shapes/source-rules";
import { relativeToReserved } from "./evictable";

import { MARK_PREFIX } from "../logs/mark-lines";

const MARKED_MAIN = `${RESERVED_DIRECTORY}/marked-main.js`;
const MARK_LOG = `${RESERVED_DIRECTORY}/mark-log.js`;

/**
 * Wraps a bundle so that each request writes a line to the runner's stdout
 * when it enters and leaves the app's code. Under the local supervisor these
 * lines are the only record that survives a hang: the last request to enter
 * and not leave is the one that stopped the runner. `secret` (from the
 * supervisor, never in the app's reach) tells real marks from lines an app
 * prints to frame another request.
 */
export function withRequestMarks(
  bundle: AppBundle,
  secret: string,
  who: Pick<AppTarget, "appId" | "environment" | "version">,
): AppBundle {
  return {
    ...bundle,
    mainModule: MARKED_MAIN,
    modules: {
      ...bundle.modules,
      // Evaluated before any app module, so an app that replaces console.log cannot read the secret.
      [MARK_LOG]: "export const log = console.log.bind(console);\n",
      [MARKED_MAIN]: markedMain(
        `${secret} `,
        ` ${who.appId} ${who.environment} ${who.version}`,
        relativeToReserved(bundle.mainModule),
      ),
    },
  };
}

// Whose request it is comes from Kiln at load time (baked into the module), never from the app's env.
function markedMain(secret: string, whose: string, main: string): string {
  const prefix = JSON.stringify(`${MARK_PREFIX}${secret}`);
  return `import { log } from "./mark-log.js";
import wrapped from ${JSON.stringify(main)};
export * from ${JSON.stringify(main)};

const PREFIX = ${prefix};
const WHOSE = ${JSON.stringify(whose)};

export default {
  async fetch(request, env, ctx) {
    const id = request.headers.get(${JSON.stringify(REQUEST_ID_HEADER)});
    if (id === null) return wrapped.fetch(request, env, ctx);
    log(PREFIX + "enter " + id + WHOSE);
    try {
      return await wrapped.fetch(request, env, ctx);
    } finally {
      log(PREFIX + "exit " + id);
    }
  },
};
`;
}
