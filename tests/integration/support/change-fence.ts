import { vi } from "vitest";
import type { Db } from "@/db/client";
import { announceChange, forgetOn } from "@/lib/cache/invalidation";

let sent = 0;
const heard = new Set<string>();

/**
 * Resolves once this process has heard every change announced before the call: a change of its
 * own, committed after them, has come back (PostgreSQL delivers notifications in commit order).
 * To show a change nobody announced stays unseen without sleeping for a guessed time.
 */
export async function changesHeard(db: Db): Promise<void> {
  // Announced on "newsletters": the caches fenced around (settings, gifts, readers) keep their entries.
  forgetOn("test-change-fence", { newsletters: (key) => void (key && heard.add(key)) });
  const key = `fence-${++sent}`;
  await announceChange(db, "newsletters", key);
  await vi.waitFor(() => {
    if (!heard.has(key)) throw new Error(`the change ${key} was not heard yet`);
  });
}
