/**
 * The sweep of trial files a build left behind: its cleanup failed, the control plane stopped mid-build, or an
 * upload of its checks committed after the cleanup. A trial lasts seconds to minutes, so an older one is over.
 */

/** Trial objects older than this are leftovers, deleted by the sweep. */
export const TRIAL_FILES_MAX_AGE_MS = 60 * 60 * 1000;
/** Apps one sweep looks at (a listing each, and a delete when something is left), so a tick's work stays bounded. */
export const TRIAL_SWEEP_APPS = 20;
/** The cron sweeps every this many minutes: leftovers are rare, and every app looked at costs an R2 listing. */
export const TRIAL_SWEEP_EVERY_MINUTES = 10;

/** What one sweep did, and the bucket cursor the next one goes on from (undefined: start over from the first app). */
export interface TrialSweep {
  deleted: number;
  next: string | undefined;
}

/**
 * Deletes the trial objects (`files/<app>/trial/…`) older than TRIAL_FILES_MAX_AGE_MS of up to `apps` apps with
 * files, in the bucket's order from `cursor`. Real environments' files (`preview/`, `live/`) are never listed.
 */
export async function sweepTrialFiles(
  bucket: R2Bucket,
  now: Date,
  cursor: string | undefined,
  apps = TRIAL_SWEEP_APPS,
): Promise<TrialSweep> {
  const listed = await bucket.list({ prefix: "files/", delimiter: "/", limit: apps, ...(cursor ? { cursor } : {}) });
  const cutoff = now.getTime() - TRIAL_FILES_MAX_AGE_MS;
  let deleted = 0;
  for (const appPrefix of listed.delimitedPrefixes) {
    // One page an app: what is past it (a trial of over 1,000 files) waits for the next round.
    const trial = await bucket.list({ prefix: `${appPrefix}trial/` });
    const old = trial.objects.filter((object) => object.uploaded.getTime() < cutoff).map((object) => object.key);
    if (old.length > 0) await bucket.delete(old);
    deleted += old.length;
  }
  return { deleted, next: listed.truncated ? listed.cursor : undefined };
}

// Where the last sweep of this isolate stopped; a new isolate starts over, which only looks at some apps again.
let resumeAt: string | undefined;

/** The minute cron's step: every TRIAL_SWEEP_EVERY_MINUTES, one bounded sweep, going on where the last one stopped. */
export async function sweepTrialFilesOnTick(bucket: R2Bucket, now: Date): Promise<number> {
  if (now.getUTCMinutes() % TRIAL_SWEEP_EVERY_MINUTES !== 0) return 0;
  const sweep = await sweepTrialFiles(bucket, now, resumeAt);
  resumeAt = sweep.next;
  if (sweep.deleted > 0) console.log(`trial files swept: ${sweep.deleted}`);
  return sweep.deleted;
}
