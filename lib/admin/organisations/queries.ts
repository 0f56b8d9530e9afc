import "server-only";
import { asc, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organisations, type Organisation } from "@/db/schema";

export type AdminOrganisation = Organisation & { seatsUsed: number; readsThisMonth: number };

/** Every organisation with its seats used and its licensed reads this month (members' and its IP ranges'). */
export async function listOrganisationsForAdmin(db: Db, month: string): Promise<AdminOrganisation[]> {
  const rows = await db
    .select({
      org: organisations,
      seatsUsed: sql<number>`(select count(*) from organisation_members m where m.organisation_id = ${organisations.id})`,
      readsThisMonth: sql<number>`(select coalesce(sum(r.reads), 0) from organisation_reads r where r.organisation_id = ${organisations.id} and r.month = ${month})`,
    })
    .from(organisations)
    .orderBy(asc(organisations.name), asc(organisations.id));
  return rows.map((r) => ({ ...r.org, seatsUsed: Number(r.seatsUsed), readsThisMonth: Number(r.readsThisMonth) }));
}
