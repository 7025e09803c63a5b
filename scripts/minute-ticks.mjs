// The local stand-in for Cloudflare's cron trigger. In production Cloudflare runs the control plane's `scheduled`
// handler once a minute (wrangler.jsonc `triggers.crons`), which starts every due automation of the published apps;
// under `npm start` nothing else would, so the supervisor keeps one MinuteTicks running beside the control plane.
import { httpGet } from "./runner-watchdog.mjs";

/** The platform's one cron trigger (wrangler.jsonc `triggers.crons`), which `npm start` fires itself. */
const MINUTE_CRON = "* * * * *";

/**
 * A second after each minute boundary, runs the control plane's real `scheduled` handler through miniflare's
 * trigger endpoint with that minute as `scheduledTime`, as Cloudflare would. Failures go to the log; `stop()` ends
 * the timer.
 */
export class MinuteTicks {
  #controlPort;
  #log;
  #offsetMs;
  #stopped = false;
  #timer = null;

  /** Starts at once: `log(name, text)` hears failed ticks; the first tick is `offsetMs` after the next minute. */
  constructor(controlPort, log, offsetMs = 1000) {
    this.#controlPort = controlPort;
    this.#log = log;
    this.#offsetMs = offsetMs;
    this.#schedule();
  }

  /** Ends the timer. A tick in flight still finishes, but reports nothing: the control plane is going away. */
  stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /** Sets the timer for `offsetMs` after the next minute boundary; each tick, done or failed, sets the next. */
  #schedule() {
    if (this.#stopped) return;
    this.#timer = setTimeout(
      () => {
        this.#fire()
          .catch((error) => !this.#stopped && this.#log("supervisor", `the minute tick failed: ${error}\n`))
          .finally(() => this.#schedule());
      },
      60_000 - (Date.now() % 60_000) + this.#offsetMs,
    );
  }

  /** Fires the trigger for the minute now begun; logs an answer other than 200. */
  async #fire() {
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const query = new URLSearchParams({ cron: MINUTE_CRON, time: String(minute) });
    const answer = await httpGet(this.#controlPort, `/cdn-cgi/local/scheduled?${query}`, 50_000);
    // After stop() the control plane is going away (and the log may be closed): nothing to report.
    if (answer.status === 200 || this.#stopped) return;
    const why =
      answer.status === 0 ? "the control plane did not answer" : `${answer.status} ${answer.body.slice(0, 300)}`;
    this.#log("supervisor", `the minute tick for ${new Date(minute).toISOString()} failed: ${why}\n`);
  }
}
