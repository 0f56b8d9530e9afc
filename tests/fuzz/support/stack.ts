import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { articles } from "@/db/schema";
import { startSmtpSink } from "@/tools/smtp-sink";
import { startStripeEmulator } from "@/tools/stripe-emulator";
import { startNextServer } from "@/tests/support/servers/next-server";
import { prepareDatabase } from "@/tests/support/servers/prepared-server";
import { countRows, createSignedInUser } from "../../integration/support/admin-harness";
import type { Engine } from "../../integration/support/databases";
import type { KnownValues } from "./targets";

/** Its own ports (FUZZ_PORT and the next one), away from the browser tests' (3210…3240). */
export const FUZZ_PORT = Number(process.env.FUZZ_PORT ?? 3270);
const WEBHOOK_SECRET = "whsec_fuzz_0123456789abcdef0123456789abcdef";

/**
 * What an admin can change, as row counts (every change also adds an audit_log row). Plan prices
 * are left out: viewing the plans pulls them from Stripe, which is no admin's change.
 */
export type AdminState = Record<string, number>;

async function adminState(db: Parameters<typeof countRows>[0]): Promise<AdminState> {
  const { plan_prices: _pulled, ...rows } = await countRows(db);
  return rows;
}

export interface FuzzStack {
  origin: string;
  known: KnownValues;
  adminCookie: string;
  /** Everything the server printed so far (stdout and stderr). */
  log(): string;
  exited(): number | string | null;
  adminStateBefore: AdminState;
  /** Stops everything; returns what an admin can change as it was left, read after the server stopped. */
  stop(): Promise<AdminState>;
}

/**
 * A production server of the current build (`next build` first) on a fresh database of `engine`,
 * with the SMTP sink and the Stripe emulator, as the browser tests run it; plus an admin with a
 * session, and the admin-changeable state recorded before the first request.
 */
export async function startFuzzStack(engine: Engine): Promise<FuzzStack> {
  const mailbox = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-fuzz-mail-"));
  const sink = await startSmtpSink({ dir: mailbox });
  const emulator = await startStripeEmulator({ port: FUZZ_PORT + 1, log: false, webhooks: [{ url: `http://127.0.0.1:${FUZZ_PORT}/api/stripe/webhook`, secret: WEBHOOK_SECRET }] });
  let known: KnownValues | undefined;
  let adminCookie = "";
  let adminStateBefore: AdminState | undefined;
  const database = await prepareDatabase(engine === "postgres" ? process.env.TEST_DATABASE_URL : undefined, async (db) => {
    const admin = await createSignedInUser(db, "fuzz-admin@ledger.test", "admin");
    const [article] = await db.select({ id: articles.id, slug: articles.slug }).from(articles).orderBy(asc(articles.id)).limit(1);
    known = { articleSlug: article!.slug, articleId: String(article!.id), userId: admin.id };
    adminCookie = `authjs.session-token=${admin.token}`;
    adminStateBefore = await adminState(db);
  });
  let output = "";
  const server = await startNextServer(
    FUZZ_PORT,
    { ...database.env, EMAIL_SERVER: sink.url, STRIPE_SECRET_KEY: "sk_test_fuzz", STRIPE_API_BASE: emulator.url, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET },
    (text) => void (output += text),
  );
  return {
    origin: server.url,
    known: known!,
    adminCookie,
    log: () => output,
    exited: server.exited,
    adminStateBefore: adminStateBefore!,
    stop: async () => {
      await server.stop();
      await Promise.all([sink.close(), emulator.close()]);
      const handle = await openDatabase(database.env.DATABASE_URL ? { url: database.env.DATABASE_URL } : { dataDir: database.env.DATA_DIR });
      const after = await adminState(handle.db);
      await handle.close();
      await database.drop();
      fs.rmSync(mailbox, { recursive: true, force: true });
      return after;
    },
  };
}
