import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { SEGMENT_REFERRERS, segmentFormValues } from "@/lib/admin/segments/form";
import { findSegment, segmentFormChoices } from "@/lib/admin/segments/queries";
import { requireAdmin } from "@/lib/auth/current-user";
import { DEVICE_CLASSES } from "@/lib/segments/device-class";
import { FREQUENCIES } from "@/lib/segments/rules";
import { SegmentForm } from "../segment-form";

export const metadata: Metadata = { title: "Segment rule · Admin" };

const paramsSchema = z.object({ id: z.coerce.number<string>().int().positive().max(2_147_483_647) });

export default async function SegmentPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const parsed = paramsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const db = await getDb();
  const [rule, { offers }] = await Promise.all([findSegment(db, parsed.data.id), segmentFormChoices(db)]);
  if (!rule) notFound();
  return (
    <section className="admin-page admin-page--wide">
      <p>
        <Link href="/admin/segments" prefetch={false}>
          ← Segments
        </Link>
      </p>
      <h1>{rule.name}</h1>
      <SegmentForm id={rule.id} initial={segmentFormValues(rule)} choices={{ offers, referrers: SEGMENT_REFERRERS, frequencies: FREQUENCIES, devices: DEVICE_CLASSES }} />
    </section>
  );
}
