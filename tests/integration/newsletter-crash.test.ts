import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DbHandle } from "@/db/client";
import { newsletterIssues, newsletterOutbox, newsletters } from "@/db/schema";
import { startSmtpSink } from "@/tools/smtp-sink";
import { createTestDatabase, engines, queryRows, type TestDatabase } from "./support/databases";

const RECIPIENTS = Number(process.env.NEWSLETTER_CRASH_RECIPIENTS ?? 10_000);
const KILL_AT = RECIPIENTS / 2;

/**
 * 10,000 recipients through the real SMTP sink, the sender process killed with SIGKILL in the
 * worst window: the sink has stored message 5,000 and not yet answered it, so the server has it
 * and the sender does not know. A new sender takes over after the lease runs out. Deterministic:
 * the kill happens inside the sink, at that message, not after a timer.
 */
describe.each(engines)("newsletter sending survives SIGKILL on %s", (engine) => {
  let t: TestDatabase | null = null;
  let dataDir: string | null = null;
  const mailbox = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-crash-"));

  beforeAll(async () => {
    if (engine === "postgres") t = await createTestDatabase("postgres");
    else dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-crash-db-"));
  });
  afterAll(async () => {
    await t?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(mailbox, { recursive: true, force: true });
  });

  const open = (): Promise<DbHandle> => (t ? openDatabase({ url: t.url }) : openDatabase({ dataDir: dataDir! }));

  it("every recipient gets the issue exactly once; the one in flight at the kill is reported, not resent", { timeout: 1_800_000 }, async () => {
    let handle = await open();
    const { db } = handle;
    const [briefing] = await db.select().from(newsletters).where(eq(newsletters.name, "The Morning Briefing"));
    await db.execute(sql`insert into users (id, email, email_verified) select 'crash-' || g, 'r' || g || '@crash.test', now() from generate_series(1, ${RECIPIENTS}) g`);
    await db.execute(sql`insert into newsletter_subscriptions (user_id, newsletter_id) select 'crash-' || g, ${briefing!.id} from generate_series(1, ${RECIPIENTS}) g`);
    await db.execute(sql`update newsletter_settings set messages_per_second = 1000`);
    const [issue] = await db.insert(newsletterIssues).values({ newsletterId: briefing!.id, subject: "Ten thousand", markdown: "Hello, everyone." }).returning();
    const { queueIssue } = await import("@/lib/newsletters/enqueue");
    expect(await queueIssue(db, issue!.id)).toBe(RECIPIENTS);
    if (!t) await handle.close(); // PGlite: one process at a time on the folder

    const received = new Map<string, number>();
    let first: ChildProcess | null = null;
    let inFlightAtKill = "";
    const sink = await startSmtpSink({
      dir: mailbox,
      onMessage: async (_raw, message) => {
        for (const to of message.to) received.set(to, (received.get(to) ?? 0) + 1);
        if (received.size === KILL_AT && first) {
          inFlightAtKill = message.to[0]!;
          const exited = new Promise((resolve) => first!.once("exit", resolve));
          first.kill("SIGKILL");
          await exited; // the sender dies before the sink says 250
          first = null;
        }
      },
    });
    try {
      const env = {
        ...process.env,
        EMAIL_SERVER: sink.url,
        SITE_URL: "http://ledger.test",
        AUTH_SECRET: "integration-secret-integration-secret-0123",
        ...(t ? { DATABASE_URL: t.url! } : { DATA_DIR: dataDir!, DATABASE_URL: "" }),
      };
      // node itself, not the tsx wrapper: a SIGKILL must reach the process that sends.
      const worker = () => spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "tools/newsletters-send.ts", "--until-idle", "--lease-seconds", "2"], { env, stdio: ["ignore", "pipe", "inherit"] });
      first = worker();
      const firstExit = await new Promise<NodeJS.Signals | number | null>((resolve) => first!.once("exit", (code, signal) => resolve(signal ?? code)));
      expect(firstExit).toBe("SIGKILL");
      expect(received.size).toBe(KILL_AT);

      const second = worker();
      let output = "";
      second.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      expect(await new Promise((resolve) => second.once("exit", resolve))).toBe(0);
      expect(output).toContain(`${RECIPIENTS - KILL_AT} messages sent`);
    } finally {
      await sink.close();
    }

    expect(received.size).toBe(RECIPIENTS);
    expect([...received.values()].every((n) => n === 1)).toBe(true);
    handle = t ? handle : await open();
    const states = await queryRows<{ state: string; n: number }>(handle.db, sql`select state, count(*)::int as n from newsletter_outbox group by state order by state`);
    expect(states.map((r) => [r.state, Number(r.n)])).toEqual([
      ["sent", RECIPIENTS - 1],
      ["unknown", 1],
    ]);
    const [unknown] = await handle.db.select().from(newsletterOutbox).where(eq(newsletterOutbox.state, "unknown"));
    expect(unknown?.email).toBe(inFlightAtKill);
    const [done] = await handle.db.select().from(newsletterIssues).where(eq(newsletterIssues.id, issue!.id));
    expect(done?.state).toBe("sent");
    await handle.close();
  });
});
