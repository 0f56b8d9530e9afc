import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DbHandle } from "@/db/client";
import { users } from "@/db/schema";
import { decideAccess, type MeterPolicy } from "@/lib/access/decide-access";
import { loadUserMeter, decideWithUserMeter, mergeDeviceMeter } from "@/lib/access/user-meter";
import { createTestDatabase, engines, type TestDatabase } from "./support/databases";

const policy: MeterPolicy = { anonymousLimit: 1, registeredLimit: 1, windowDays: 30 };

describe.each(engines)("a registered reader's meter on %s", (engine) => {
  let t: TestDatabase;
  // On PostgreSQL a second connection pool stands for a second app instance.
  let second: DbHandle | null = null;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    if (t.url) second = await openDatabase({ url: t.url });
  });
  afterAll(async () => {
    await second?.close();
    await t.drop();
  });

  async function newReader(email: string): Promise<string> {
    const [user] = await t.handle.db.insert(users).values({ email }).returning();
    return user!.id;
  }

  it("20 concurrent first reads with a limit of 1 serve exactly one article in full", async () => {
    const userId = await newReader("race@ledger.test");
    const now = new Date();
    const reader = { kind: "user" as const, userId, entitlement: null };
    const decisions = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const db = i % 2 === 1 && second ? second.db : t.handle.db;
        const article = { id: 1000 + i, access: "metered" as const };
        return decideWithUserMeter(db, userId, (meter) => decideAccess({ reader, article, meter, now, policy, intent: "read" }));
      }),
    );
    const full = decisions.flatMap((d, i) => (d.level === "full" ? [1000 + i] : []));
    expect(full).toHaveLength(1);
    expect(decisions.filter((d) => d.reason === "meter-exhausted")).toHaveLength(19);
    expect((await loadUserMeter(t.handle.db, userId))?.articleIds).toEqual(full);
  });

  it("concurrent sign-ins from two devices both count toward a new account's meter", async () => {
    const userId = await newReader("devices@ledger.test");
    const now = new Date();
    const start = Math.floor(now.getTime() / 1000) - 60;
    await Promise.all([
      mergeDeviceMeter(t.handle.db, userId, { windowStart: start, articleIds: [1, 2] }, now, 30),
      mergeDeviceMeter(second?.db ?? t.handle.db, userId, { windowStart: start, articleIds: [3] }, now, 30),
    ]);
    expect((await loadUserMeter(t.handle.db, userId))?.articleIds.sort()).toEqual([1, 2, 3]);
  });
});
