// Imported by the supervisor's scripts under Node too (scripts/app-data-move.mjs), hence the `.ts` paths.
import { fnv1a } from "../core/fnv1a.ts";

/**
 * Which of `count` runner processes serves an app, by a stable hash of its slug (slugs never change): the front
 * door sends its visitors there, the control plane its pushes, builds and database calls, and its databases live there.
 */
export function runnerIndex(slug: string, count: number): number {
  return count > 1 ? mixed(fnv1a(slug)) % count : 0;
}

// fnv1a alone spreads badly over a few runners (its low bits depend only on the characters' low bits): murmur3's
// final mix makes every bit of the result depend on every character.
function mixed(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
