import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organisationMembers, organisations } from "@/db/schema";
import type { Licence } from "./licence";

/** The licences of the organisations whose seats a reader holds, whatever their terms (the access trace's view; the gate reads them with the session). */
export async function loadSeatLicences(db: Db, userId: string): Promise<Licence[]> {
  const rows = await db
    .select({ id: organisations.id, name: organisations.name, termStart: organisations.termStart, termEnd: organisations.termEnd })
    .from(organisationMembers)
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .where(eq(organisationMembers.userId, userId))
    .orderBy(asc(organisations.id));
  return rows.map((o) => ({ organisationId: o.id, organisationName: o.name, via: "seat", termStart: o.termStart, termEnd: o.termEnd }));
}
