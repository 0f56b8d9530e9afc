import "server-only";
import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { consentRecords, plans, users } from "@/db/schema";
import { csvLine } from "../shared/csv";
import { readerIdSchema } from "./form";

const BATCH = 500;

export const CONSENT_CSV_HEADER = ["subscription", "user_id", "email", "plan", "accepted_at", "shown_at", "terms_version", "terms_sha256", "terms", "checkout_session"] as const;

/** The export's one optional filter: one reader's records (from their page). Anything else: all. */
export const consentExportQuerySchema = z.object({ user: readerIdSchema.optional().catch(undefined) });

/**
 * The consent records (what each subscriber agreed to at Checkout) as CSV, streamed in batches by
 * subscription id; a deleted account's rows have no address. Cells are defused against formulas.
 */
export function consentRecordsCsvStream(db: Db, userId: string | undefined): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: string | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(CONSENT_CSV_HEADER)));
    },
    async pull(controller) {
      const where: SQL[] = [];
      if (userId) where.push(eq(consentRecords.userId, userId));
      if (after) where.push(gt(consentRecords.stripeSubscriptionId, after));
      const rows = await db
        .select({ record: consentRecords, email: users.email, plan: plans.name })
        .from(consentRecords)
        .leftJoin(users, eq(users.id, consentRecords.userId))
        .leftJoin(plans, eq(plans.id, consentRecords.planId))
        .where(where.length > 0 ? and(...where) : undefined)
        .orderBy(asc(consentRecords.stripeSubscriptionId))
        .limit(BATCH);
      const lines = rows.map(({ record: r, email, plan }) =>
        csvLine([r.stripeSubscriptionId, r.userId, email, plan, r.acceptedAt, r.shownAt, r.termsVersion, r.termsHash, r.termsText, r.stripeCheckoutSessionId]),
      );
      if (lines.length > 0) controller.enqueue(encoder.encode(lines.join("")));
      after = rows.at(-1)?.record.stripeSubscriptionId;
      if (rows.length < BATCH) controller.close();
    },
  });
}
