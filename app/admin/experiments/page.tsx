import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { experimentFormChoices, listExperiments } from "@/lib/admin/experiments/queries";
import { requireAdmin } from "@/lib/auth/current-user";
import { ActionButton } from "../_components/action-button";
import { DataTable } from "../_components/data-table";
import { formatUtc } from "../_components/format";
import { ExperimentForm } from "./experiment-form";
import { startExperimentAction, stopExperimentAction } from "./actions";

export const metadata: Metadata = { title: "Experiments · Admin" };

export default async function ExperimentsPage() {
  await requireAdmin();
  const db = await getDb();
  const [experiments, choices] = await Promise.all([listExperiments(db), experimentFormChoices(db)]);
  return (
    <section className="admin-page admin-page--wide">
      <h1>Experiments</h1>
      <p>
        Test a change to the paywall on a share of readers: the meter&apos;s limits, the lead-in, the card&apos;s copy, the featured offer, the plans&apos; order.
        Each reader stays in one variant (a hash of their signed reader id); the meter they have used is never reset.
      </p>
      <DataTable columns={["Name", "State", "Variants (share)", "Ran", "Actions"]} rows={experiments} empty="No experiments yet." caption="Experiments" testId="experiments">
        {(e) => (
          <tr key={e.id} data-experiment={e.name}>
            <th scope="row">
              <Link href={`/admin/experiments/${e.id}`} prefetch={false}>
                {e.name}
              </Link>
            </th>
            <td data-testid="state">{e.state}</td>
            <td>
              {e.variants.map((v) => `${v.name} (${v.weight})`).join(", ")}
              {e.segmentId !== null ? `; only ${choices.segments.find((s) => s.id === e.segmentId)?.name ?? "a deleted segment"}` : ""}
            </td>
            <td>
              {e.startedAt ? formatUtc(e.startedAt) : "not started"}
              {e.stoppedAt ? ` – ${formatUtc(e.stoppedAt)}` : ""}
            </td>
            <td>
              {e.state === "draft" && <ActionButton action={startExperimentAction} fields={{ id: e.id }} label="Start" pendingLabel="Starting…" ariaLabel={`Start ${e.name}`} secondary={false} />}
              {e.state === "running" && <ActionButton action={stopExperimentAction} fields={{ id: e.id }} label="Stop" pendingLabel="Stopping…" ariaLabel={`Stop ${e.name}`} />}
              <Link href={`/admin/experiments/${e.id}`} prefetch={false} aria-label={`${e.state === "draft" ? "Edit" : "Results of"} ${e.name}`}>
                {e.state === "draft" ? "Edit" : "Results"}
              </Link>
            </td>
          </tr>
        )}
      </DataTable>
      <section aria-labelledby="new-experiment-heading">
        <h2 id="new-experiment-heading">New experiment</h2>
        <ExperimentForm choices={choices} />
      </section>
    </section>
  );
}
