import { fnv1a } from "../lib/fnv1a";

/**
 * Which of `count` runner processes serves an app, by a stable hash of its slug (slugs never change): the front
 * door sends its visitors there and the control plane its routing-table pushes and warm-ups.
 */
export function runnerIndex(slug: string, count: number): number {
  return count > 1 ? fnv1a(slug) % count : 0;
}
