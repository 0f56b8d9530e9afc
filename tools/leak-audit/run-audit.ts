import type { AuditArticle, AuditSegment } from "@/lib/leak-audit/canaries";
import { CHANNELS } from "./channels";
import type { Channel } from "./channels/types";
import type { AuditReport } from "@/lib/leak-audit/report-schema";
import { AuditContext } from "./context";

export type { AuditReport };
import { prepareIdentities } from "./identities";

export interface AuditOptions {
  base: string;
  articles: AuditArticle[];
  /** The site's live segment rules (none: the segments channel is skipped). */
  segments?: AuditSegment[];
  /** A registered reader's session token (a reader without a subscription); null skips that pass. */
  sessionToken: string | null;
  /** The folder the site's SMTP sink writes to; null skips the mail channel. */
  mailboxDir: string | null;
  chromiumPath?: string;
  channels?: Channel[];
  notes?: string[];
}


/** Crawls the site as each reader through every channel and reports every canary found where it must not be. */
export async function runAudit(options: AuditOptions): Promise<AuditReport> {
  const started = Date.now();
  const ctx = new AuditContext(new URL(options.base), options.articles, [], options.segments ?? []);
  const meterStart = Date.now();
  await prepareIdentities(ctx, options.sessionToken);
  const timings = new Map<string, number>([["meter", Date.now() - meterStart]]);
  const channelOptions = { mailboxDir: options.mailboxDir, chromiumPath: options.chromiumPath ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" };
  const channels = options.channels ?? CHANNELS;
  for (const channel of channels) {
    const t = Date.now();
    await channel.run(ctx, channelOptions);
    timings.set(channel.name, Date.now() - t);
  }
  const bySlug = new Map(options.articles.map((a) => [a.id, a.slug]));
  const names = ["meter", ...channels.map((c) => c.name), "caching"];
  const checks = new Map(channels.map((c) => [c.name, c.checks]));
  checks.set("meter", "the reads that spend each reader's meter");
  checks.set("caching", "every response carrying full text is Cache-Control private or no-store");
  return {
    base: options.base,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    ok: ctx.findings.length === 0,
    notes: [...(options.notes ?? []), ...ctx.notes],
    articles: options.articles.map((a) => ({ id: a.id, slug: a.slug, access: a.access, published: a.published, canaries: a.canaries.length })),
    identities: ctx.identities.map((i) => ({ name: i.name, mayRead: [...i.mayRead].map((id) => bySlug.get(id) ?? String(id)) })),
    channels: names.map((name) => ({
      name,
      checks: checks.get(name) ?? "",
      probes: name === "caching" ? [...ctx.probes.values()].reduce((a, b) => a + b, 0) : (ctx.probes.get(name) ?? 0),
      findings: ctx.findings.filter((f) => (name === "caching" ? f.kind === "cache" : f.kind === "leak" && f.channel === name)).length,
      ms: timings.get(name) ?? 0,
    })),
    skipped: ctx.skipped,
    findings: ctx.findings.map((f) => (f.kind === "cache" ? { ...f, channel: "caching", where: `${f.where} (via ${f.channel})` } : f)),
  };
}
