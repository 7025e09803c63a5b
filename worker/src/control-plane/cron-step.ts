/**
 * Runs one step of the minute cron, logging its failure instead of throwing it: the steps are unrelated, so one
 * that fails (a D1 hiccup, an R2 error) must not skip the others, which the next tick would otherwise redo late.
 */
export async function cronStep(name: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    console.error(`[cron] ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
