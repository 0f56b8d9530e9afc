import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { DataDirBusyError } from "@/db/data-dir-lock";
import { createTestDatabase, engines, queryRows, testDatabaseForSuite } from "./support/databases";

describe.each(engines)("database on %s", (engine) => {
  const t = testDatabaseForSuite(engine);

  it("creates every table through the migrations", async () => {
    const rows = await queryRows<{ table_name: string }>(
      t.handle.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    const names = rows.map((r) => r.table_name);
    expect(names).toEqual(expect.arrayContaining(["article_blocks", "articles", "plans", "site_settings"]));
  });

  it("re-running the migrations changes nothing", async () => {
    const second = engine === "postgres" ? await openDatabase({ url: t.url }) : null;
    if (second) {
      await second.close();
    } else {
      const { migrateEmbedded } = await import("@/db/migrate");
      await migrateEmbedded(t.handle.db);
    }
    const [row] = await queryRows<{ n: number }>(t.handle.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(row!.n).toBe(fs.readdirSync("db/migrations").filter((f) => f.endsWith(".sql")).length);
  });

  it.runIf(engine === "postgres")("instances starting at once do not race on migrations", async () => {
    const fresh = await createTestDatabase("postgres");
    try {
      const opened = await Promise.all([1, 2, 3].map(() => openDatabase({ url: fresh.url })));
      await Promise.all(opened.map((h) => h.close()));
      const [row] = await queryRows<{ n: number }>(fresh.handle.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(row!.n).toBe(fs.readdirSync("db/migrations").filter((f) => f.endsWith(".sql")).length);
    } finally {
      await fresh.drop();
    }
  });
});

describe("embedded data folder", () => {
  it("is locked against a second opener and unlocked on close", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-lock-"));
    const first = await openDatabase({ dataDir: dir });
    await expect(openDatabase({ dataDir: dir })).rejects.toBeInstanceOf(DataDirBusyError);
    await first.close();
    const again = await openDatabase({ dataDir: dir });
    await again.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("replaces a stale lock left by a dead process", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-lock-"));
    fs.writeFileSync(path.join(dir, "masthead.lock"), "999999999");
    const handle = await openDatabase({ dataDir: dir });
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
