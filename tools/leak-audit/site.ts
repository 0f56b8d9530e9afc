import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { DbHandle } from "@/db/client";
import { organisationMembers, organisations, sessions, users } from "@/db/schema";
import { startSmtpSink } from "../smtp-sink";
import { startNextServer } from "../../tests/support/servers/next-server";
import { prepareDatabase } from "../../tests/support/servers/prepared-server";
import { loadAuditArticles, loadAuditSegments, type AuditArticle, type AuditSegment } from "@/lib/leak-audit/canaries";
import { startForwardingHop } from "./forwarding-hop";

/**
 * How the throw-away site runs: small meters, so spent meters leave most articles locked, and
 * verified Google crawling on (behind a hop that appends the client address, as nginx does), the
 * stricter case: a spoofed Googlebot must still get the preview.
 */
// Behind the forwarding hop (one proxy, as nginx in deploy/nginx.conf): TRUSTED_PROXIES=1.
export const AUDIT_SITE_ENV = { METER_ANONYMOUS_LIMIT: "2", METER_REGISTERED_LIMIT: "3", VERIFIED_CRAWLERS: "google", TRUSTED_PROXIES: "1" };

export interface AuditSite {
  url: string;
  articles: AuditArticle[];
  /** The site's segment rules (a test's `prepare` adds them). */
  segments: AuditSegment[];
  /** A registered reader without a subscription, signed in (a database session made for the audit). */
  sessionToken: string;
  mailboxDir: string;
  close(): Promise<void>;
}

/**
 * The production build (`next build` first) on a throw-away database (PGlite, or a new database on
 * the PostgreSQL server given) with the demo content and the test fixtures, sending its mail to a
 * local SMTP sink. The canaries are read from that database before the server opens it.
 */
export async function startAuditSite(
  options: {
    databaseUrl?: string;
    port?: number;
    env?: Record<string, string>;
    mailVia?: (sinkUrl: string, articles: AuditArticle[]) => Promise<string>;
    /** Runs on the database before the canaries are read (a test plants an editor's mistake there). */
    prepare?: (db: DbHandle["db"]) => Promise<void>;
  } = {},
): Promise<AuditSite> {
  if (!fs.existsSync(".next/BUILD_ID")) throw new Error("No production build: run `npx next build` first.");
  const mailboxDir = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-leak-audit-mail-"));
  const sink = await startSmtpSink({ dir: mailboxDir });
  let articles: AuditArticle[] = [];
  let segments: AuditSegment[] = [];
  const sessionToken = randomBytes(24).toString("hex");
  const database = await prepareDatabase(options.databaseUrl, async (db) => {
    await options.prepare?.(db);
    articles = await loadAuditArticles(db);
    segments = await loadAuditSegments(db);
    const [user] = await db.insert(users).values({ email: `leak-audit-reader@example.test`, emailVerified: new Date() }).returning({ id: users.id });
    await db.insert(sessions).values({ sessionToken, userId: user!.id, expires: new Date(Date.now() + 3_600_000) });
    await licencesNobodyMayUse(db, user!.id);
  });
  const port = options.port ?? (await freePort());
  // A test may put a relay between the site and the sink (to plant a leak in its mail).
  const emailServer = options.mailVia ? await options.mailVia(sink.url, articles) : sink.url;
  const server = await startNextServer(port, { ...database.env, ...AUDIT_SITE_ENV, EMAIL_SERVER: emailServer, ...options.env }).catch(async (error: unknown) => {
    await Promise.all([database.drop(), sink.close()]);
    throw error;
  });
  const hop = await startForwardingHop(server.url);
  return {
    url: hop.url,
    articles,
    segments,
    sessionToken,
    mailboxDir,
    async close() {
      await hop.close();
      await server.stop();
      await Promise.all([database.drop(), sink.close()]);
      fs.rmSync(mailboxDir, { recursive: true, force: true });
    },
  };
}

const DAY_MS = 86_400_000;
/** The running licence's range: documentation addresses (RFC 5737) that the forwarding hop never appends. */
const LICENSED_RANGE = "192.0.2.0/24";

/**
 * Group licences the audit's readers must not read through: a running one whose IP range only a
 * forged X-Forwarded-For names (the request-headers channel sends it), and an ended one whose
 * ranges cover every address and whose seat the registered reader holds.
 */
async function licencesNobodyMayUse(db: DbHandle["db"], registeredUserId: string): Promise<void> {
  const now = Date.now();
  const licence = { seats: 10, priceAmount: 100_000, currency: "usd" };
  await db.insert(organisations).values({ ...licence, name: "Leak audit reading room", termStart: new Date(now - DAY_MS), termEnd: new Date(now + 365 * DAY_MS), ipRanges: [LICENSED_RANGE] });
  const [ended] = await db
    .insert(organisations)
    .values({ ...licence, name: "Leak audit ended licence", termStart: new Date(now - 400 * DAY_MS), termEnd: new Date(now - DAY_MS), ipRanges: ["0.0.0.0/0", "::/0"] })
    .returning({ id: organisations.id });
  await db.insert(organisationMembers).values({ organisationId: ended!.id, userId: registeredUserId, via: "invite" });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
