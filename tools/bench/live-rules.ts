// The reading path with paywall tests running: 3 live experiments and 10 segment rules. The rules
// match no bench request (a country no request names), so every read tests all 10 before the
// default, and every read is assigned in all 3 experiments (copy-only variants: the same access).
import { experiments, experimentVariants, segmentRules } from "@/db/schema";
import { openDatabase } from "@/db/client";

export const LIVE_EXPERIMENTS = 3;
export const LIVE_RULES = 10;
/** The reading path with them stays within 5 % of the run without them. */
export const LIVE_RULES_TARGET = 0.95;

/** Written while no server has the database open (PGlite is one process's). */
export async function addLiveExperimentsAndRules(env: Record<string, string>): Promise<void> {
  const handle = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.DATA_DIR! });
  try {
    await handle.db.insert(segmentRules).values(
      Array.from({ length: LIVE_RULES }, (_, i) => ({ position: i + 1, name: `Bench rule ${i + 1}`, countries: [`Q${String.fromCharCode(65 + i)}`], paywallHeading: `Rule ${i + 1}` })),
    );
    for (let e = 1; e <= LIVE_EXPERIMENTS; e++) {
      const [experiment] = await handle.db.insert(experiments).values({ name: `Bench experiment ${e}`, salt: `bench-salt-${e}`, state: "running", startedAt: new Date() }).returning();
      await handle.db.insert(experimentVariants).values([
        { experimentId: experiment!.id, position: 0, name: "Control", weight: 50 },
        { experimentId: experiment!.id, position: 1, name: `Heading ${e}`, weight: 50, paywallHeading: `Variant heading ${e}` },
      ]);
    }
  } finally {
    await handle.close();
  }
}
