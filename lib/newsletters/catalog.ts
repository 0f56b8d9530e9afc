import "server-only";
import { and, asc, count, eq, isNull } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { newsletterSubscriptions, newsletters, type Newsletter } from "@/db/schema";
import { ttlCache } from "@/lib/cache/ttl-cache";

/** What a reader is offered: the active newsletters, in the order they were made. */
export async function listActiveNewsletters(db: Db): Promise<Newsletter[]> {
  return db.select().from(newsletters).where(isNull(newsletters.archivedAt)).orderBy(asc(newsletters.id));
}

export async function listAllNewsletters(db: Db): Promise<Newsletter[]> {
  return db.select().from(newsletters).orderBy(asc(newsletters.archivedAt), asc(newsletters.id));
}

export async function findNewsletter(db: Db, id: number): Promise<Newsletter | null> {
  const [row] = await db.select().from(newsletters).where(eq(newsletters.id, id)).limit(1);
  return row ?? null;
}

/** Active newsletters for everyone: the ones the public sign-up form offers. */
export async function loadPublicNewsletters(db: Db): Promise<Newsletter[]> {
  return db
    .select()
    .from(newsletters)
    .where(and(isNull(newsletters.archivedAt), eq(newsletters.audience, "everyone")))
    .orderBy(asc(newsletters.id));
}

// The article page's sign-up form reads this on every request: kept in memory until a change is announced.
const publicList = ttlCache<"public", Newsletter[]>("newsletters-public", { forgetOn: { newsletters: true } });

export function getPublicNewsletters(): Promise<Newsletter[]> {
  return publicList.get("public", async () => loadPublicNewsletters(await getDb()));
}

/** Current subscribers per newsletter id. */
export async function subscriberCounts(db: Db): Promise<Map<number, number>> {
  const rows = await db
    .select({ id: newsletterSubscriptions.newsletterId, n: count() })
    .from(newsletterSubscriptions)
    .where(isNull(newsletterSubscriptions.unsubscribedAt))
    .groupBy(newsletterSubscriptions.newsletterId);
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}
