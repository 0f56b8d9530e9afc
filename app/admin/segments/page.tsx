import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { describeConditions, describeSettings, SEGMENT_REFERRERS } from "@/lib/admin/segments/form";
import { listSegments, segmentFormChoices } from "@/lib/admin/segments/queries";
import { requireAdmin } from "@/lib/auth/current-user";
import { DEVICE_CLASSES } from "@/lib/segments/device-class";
import { FREQUENCIES } from "@/lib/segments/rules";
import { ActionButton } from "../_components/action-button";
import { SegmentForm } from "./segment-form";
import { deleteSegmentAction, moveSegmentAction } from "./actions";

export const metadata: Metadata = { title: "Segments · Admin" };

export default async function SegmentsPage() {
  await requireAdmin();
  const db = await getDb();
  const [rules, { offers }] = await Promise.all([listSegments(db), segmentFormChoices(db)]);
  const choices = { offers, referrers: SEGMENT_REFERRERS, frequencies: FREQUENCIES, devices: DEVICE_CLASSES };
  return (
    <section className="admin-page admin-page--wide">
      <h1>Segments</h1>
      <p>
        Rules that choose the paywall per request from what it already carries: where the reader arrived from, whether they are signed in or take a newsletter, how much
        they have read this window, their device and (behind a proxy that sends it) their country. The first rule that matches wins; no match, the site&apos;s settings.
        Experiments then test changes on top, and a reader never gets a lower meter or a shorter lead-in later in the same visit.
      </p>
      {rules.length === 0 ? (
        <p>No rules yet: every reader gets the site&apos;s settings.</p>
      ) : (
        <table className="admin-table" data-testid="segments">
          <caption>Rules, in the order they are tried</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Name</th>
              <th scope="col">Matches</th>
              <th scope="col">Sets</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r, i) => (
              <tr key={r.id} data-segment={r.name}>
                <td>{i + 1}</td>
                <th scope="row">
                  <Link href={`/admin/segments/${r.id}`} prefetch={false}>
                    {r.name}
                  </Link>
                </th>
                <td>{describeConditions(r)}</td>
                <td>{describeSettings(r)}</td>
                <td>
                  {i > 0 && <ActionButton action={moveSegmentAction} fields={{ id: r.id, direction: "up" }} label="Up" pendingLabel="Moving…" ariaLabel={`Move ${r.name} up`} />}
                  {i < rules.length - 1 && <ActionButton action={moveSegmentAction} fields={{ id: r.id, direction: "down" }} label="Down" pendingLabel="Moving…" ariaLabel={`Move ${r.name} down`} />}
                  <ActionButton action={deleteSegmentAction} fields={{ id: r.id }} label="Delete" pendingLabel="Deleting…" ariaLabel={`Delete ${r.name}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section aria-labelledby="add-segment-title">
        <h2 id="add-segment-title">New rule</h2>
        <SegmentForm choices={choices} />
      </section>
    </section>
  );
}
