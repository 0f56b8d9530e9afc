import "server-only";
import { asc, eq } from "drizzle-orm";
import { getDb, type Queryable } from "@/db/client";
import { experiments, experimentVariants } from "@/db/schema";
import { ttlCache } from "@/lib/cache/ttl-cache";
import type { LiveExperiment } from "./live-variant";

// The running experiments, held in memory like the settings: the reading path asks no query for
// them. Starting, stopping or applying one announces "experiments" in its transaction.
const cache = ttlCache<"live", LiveExperiment[]>("experiments", { forgetOn: { experiments: true } });

export function getLiveExperiments(): Promise<LiveExperiment[]> {
  return cache.get("live", async () => loadLiveExperiments(await getDb()));
}

/** Running experiments with their variants (control first), oldest experiment first: the first to change a setting wins. */
export async function loadLiveExperiments(db: Queryable): Promise<LiveExperiment[]> {
  const rows = await db
    .select({ experiment: experiments, variant: experimentVariants })
    .from(experiments)
    .innerJoin(experimentVariants, eq(experimentVariants.experimentId, experiments.id))
    .where(eq(experiments.state, "running"))
    .orderBy(asc(experiments.id), asc(experimentVariants.position));
  const byId = new Map<number, LiveExperiment>();
  for (const { experiment, variant } of rows) {
    let live = byId.get(experiment.id);
    if (!live) byId.set(experiment.id, (live = { id: experiment.id, name: experiment.name, salt: experiment.salt, segmentId: experiment.segmentId, variants: [] }));
    const { experimentId: _experiment, ...changes } = variant;
    void _experiment;
    live.variants.push(changes);
  }
  return [...byId.values()];
}
