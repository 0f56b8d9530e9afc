import "server-only";
import { and, arrayContains, asc, eq, gt, lte, notExists } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organisationMembers, organisations, type User } from "@/db/schema";
import { deliverBillingMailsSoon } from "@/lib/billing/billing-mail-delivery";
import { emailDomain } from "./fields";
import { SEAT_REFUSALS, takeSeat } from "./seats";

type Signed = Pick<User, "id" | "email" | "emailVerified">;

/** The proven domain of a reader: the part after "@" of a verified address, or null (an unverified address proves nothing). */
function provenDomain(user: Signed): string | null {
  return user.emailVerified && user.email ? emailDomain(user.email) : null;
}

/** Organisations whose running licence lists this reader's verified domain exactly, and which they have not joined. */
export async function joinableByDomain(db: Db, user: Signed, now: Date): Promise<Array<{ id: number; name: string }>> {
  const domain = provenDomain(user);
  if (!domain) return [];
  return db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(
      and(
        arrayContains(organisations.domains, [domain]),
        lte(organisations.termStart, now),
        gt(organisations.termEnd, now),
        notExists(
          db
            .select({ one: organisationMembers.userId })
            .from(organisationMembers)
            .where(and(eq(organisationMembers.organisationId, organisations.id), eq(organisationMembers.userId, user.id))),
        ),
      ),
    )
    .orderBy(asc(organisations.id));
}

export type DomainJoinOutcome = { ok: true; organisationName: string } | { ok: false; message: string };

/** Joins by a verified address in one of the organisation's domains, taking a seat atomically. */
export async function joinByDomain(db: Db, organisationId: number, user: Signed, now: Date): Promise<DomainJoinOutcome> {
  const domain = provenDomain(user);
  if (!domain) return { ok: false, message: "Joining by your address needs a verified address: sign in with the emailed link first." };
  const outcome = await db.transaction(async (tx): Promise<DomainJoinOutcome> => {
    const [org] = await tx.select({ name: organisations.name, domains: organisations.domains }).from(organisations).where(eq(organisations.id, organisationId));
    if (!org || !org.domains.includes(domain)) return { ok: false, message: `This organisation does not admit addresses at ${domain}.` };
    const seat = await takeSeat(tx, organisationId, user.id, "domain", now);
    return seat.ok ? { ok: true, organisationName: org.name } : { ok: false, message: SEAT_REFUSALS[seat.reason] };
  });
  // A seat mail the join recorded goes out after the commit.
  if (outcome.ok) deliverBillingMailsSoon(db);
  return outcome;
}

/** The organisations whose seats this reader holds, for their own page. */
export async function membershipsOf(db: Db, userId: string) {
  return db
    .select({ id: organisations.id, name: organisations.name, termEnd: organisations.termEnd })
    .from(organisationMembers)
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .where(eq(organisationMembers.userId, userId))
    .orderBy(asc(organisations.id));
}
