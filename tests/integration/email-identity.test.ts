import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { eq, sql } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, engines, queryRows, type Engine } from "./support/databases";

const MIGRATIONS = path.join(process.cwd(), "db/migrations");
/** The last migration before emails became one identity whatever their case. */
const BEFORE = "0004_funnel_counts";

/** A migrations folder holding only the migrations up to `tag`, to build a database as it was then. */
function migrationsUpTo(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-migrations-"));
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, "meta/_journal.json"), "utf8")) as { entries: Array<{ tag: string }> };
  const entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === tag) + 1);
  fs.mkdirSync(path.join(dir, "meta"));
  fs.writeFileSync(path.join(dir, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  for (const e of entries) fs.copyFileSync(path.join(MIGRATIONS, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  return dir;
}

type RawDb = ReturnType<typeof drizzlePglite>;

/** A database migrated to `folder`, and a way to migrate it further: no app code in between. */
async function rawDatabase(engine: Engine): Promise<{ db: RawDb; migrate(folder: string): Promise<void>; close(): Promise<void> }> {
  if (engine === "pglite") {
    const client = await PGlite.create("memory://");
    const db = drizzlePglite({ client });
    return { db, migrate: (folder) => migratePglite(db, { migrationsFolder: folder }), close: () => client.close() };
  }
  const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  const name = `masthead_email_${randomBytes(6).toString("hex")}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  const client = postgres(url.toString(), { max: 2, onnotice: () => {} });
  const db = drizzlePostgres({ client }) as unknown as RawDb;
  return {
    db,
    migrate: (folder) => migratePostgres(db as never, { migrationsFolder: folder }),
    close: async () => {
      await client.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

describe.each(engines)("one identity per email on %s", (engine) => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it("the migration merges accounts whose emails differ only in case, keeping everything they owned", async () => {
    const raw = await rawDatabase(engine);
    closers.push(raw.close);
    await raw.migrate(migrationsUpTo(BEFORE));
    const { db } = raw;
    const day = (n: number) => `2026-0${n}-01T00:00:00Z`;
    // The admin's verified account, a checkout's copy in another case, and an unrelated reader.
    await db.execute(sql`insert into users (id, email, email_verified, role, created_at) values
      ('u-admin', 'Editor@Ledger.test', ${day(2)}, 'admin', ${day(2)}),
      ('u-copy', 'editor@ledger.test', null, 'reader', ${day(1)}),
      ('u-other', 'Other@Ledger.test', null, 'reader', ${day(3)})`);
    await db.execute(sql`insert into sessions (session_token, user_id, expires) values ('s-copy', 'u-copy', ${day(9)})`);
    await db.execute(sql`insert into stripe_customers (stripe_customer_id, user_id) values ('cus_admin', 'u-admin'), ('cus_copy', 'u-copy')`);
    await db.execute(sql`insert into subscriptions (stripe_subscription_id, stripe_customer_id, user_id, status, stripe_price_id, stripe_created)
      values ('sub_copy', 'cus_copy', 'u-copy', 'active', 'price_1', ${day(1)})`);
    await db.execute(sql`insert into user_meters (user_id, window_start, article_ids) values ('u-admin', 1, '{1}'), ('u-copy', 1, '{2}')`);
    await db.execute(sql`insert into grants (user_id, reason, created_by) values ('u-copy', 'comp', 'u-admin')`);
    await db.execute(sql`insert into verification_tokens (identifier, token, expires) values ('Other@Ledger.test', 't1', ${day(9)})`);

    await raw.migrate(MIGRATIONS);

    const rows = <T,>(q: ReturnType<typeof sql>) => queryRows<T>(db as never, q);
    expect(await rows(sql`select id, email, role, email_verified is not null as verified from users order by id`)).toEqual([
      { id: "u-admin", email: "editor@ledger.test", role: "admin", verified: true },
      { id: "u-other", email: "other@ledger.test", role: "reader", verified: false },
    ]);
    expect(await rows(sql`select user_id from sessions`)).toEqual([{ user_id: "u-admin" }]);
    expect(await rows(sql`select stripe_customer_id, user_id from stripe_customers order by 1`)).toEqual([
      { stripe_customer_id: "cus_admin", user_id: "u-admin" },
      { stripe_customer_id: "cus_copy", user_id: "u-admin" },
    ]);
    expect(await rows(sql`select user_id from subscriptions`)).toEqual([{ user_id: "u-admin" }]);
    expect(await rows(sql`select user_id, article_ids from user_meters`)).toEqual([{ user_id: "u-admin", article_ids: [1] }]);
    expect(await rows(sql`select user_id, created_by from grants`)).toEqual([{ user_id: "u-admin", created_by: "u-admin" }]);
    expect(await rows(sql`select identifier from verification_tokens`)).toEqual([{ identifier: "other@ledger.test" }]);
    // From now on the database itself refuses an address that is not in lower case.
    await expect(db.execute(sql`insert into users (id, email) values ('u-new', 'New@Ledger.test')`)).rejects.toThrow();
  });

  it("every way an account is found or made lower-cases the address", async () => {
    const t = await createTestDatabase(engine);
    closers.push(t.drop);
    const { db } = t.handle;
    const { users } = await import("@/db/schema");
    const { mastheadAdapter } = await import("@/lib/auth/adapter");
    const { accountForEmail } = await import("@/lib/billing/customers");
    const adapter = mastheadAdapter(db);
    const made = await adapter.createUser!({ id: crypto.randomUUID(), email: "New.Reader@Example.com", emailVerified: null });
    expect(made.email).toBe("new.reader@example.com");
    expect((await adapter.getUserByEmail!("NEW.READER@example.COM"))?.id).toBe(made.id);
    expect(await accountForEmail(db, " New.Reader@Example.com ")).toEqual({ userId: made.id, created: false });
    expect(await db.select().from(users).where(eq(users.email, "new.reader@example.com"))).toHaveLength(1);
  });
});
