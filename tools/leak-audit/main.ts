// npm run audit:leaks -- [--base URL] [--out DIR] …: crawls the site as readers who may not read
// its locked text and exits 1 when any of it is found. See docs/leak-audit.md.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { auditArticleSchema, auditSegmentSchema, loadAuditArticles, loadAuditSegments, type AuditArticle, type AuditSegment } from "@/lib/leak-audit/canaries";
import { exitWith, openEnvDatabase, parseOptions } from "../cli/main";
import { writeReport } from "./report";
import { runAudit, type AuditReport } from "./run-audit";
import { AUDIT_SITE_ENV, startAuditSite } from "./site";

const argsSchema = z.object({
  base: z.url().optional(),
  out: z.string().min(1).default(path.join(process.env.DATA_DIR ?? ".data", "leak-audit")),
  "database-url": z.string().regex(/^postgres(ql)?:\/\//, "a postgres:// URL").optional(),
  canaries: z.string().min(1).optional(),
  segments: z.string().min(1).optional(),
  "session-token": z.string().min(16).optional(),
  mailbox: z.string().min(1).optional(),
});

const usage = `npm run audit:leaks -- [options]
  (no --base)            build must exist; starts it on a throw-away database (PGlite, or a new
                         database on --database-url) with the demo content and fixtures
  --base URL             audit a running site instead; its canaries come from --canaries FILE
                         (JSON written by the admin page) or from DATABASE_URL / DATA_DIR
  --segments FILE        with --canaries: the site's segment rules (JSON written by the admin page)
  --session-token TOKEN  a registered reader's session on that site (no subscription)
  --mailbox DIR          where that site's SMTP sink stores mail
  --out DIR              where audit-report.json and audit-report.html go (default .data/leak-audit)`;

async function main(): Promise<number> {
  const args = parseOptions(argsSchema, usage);
  if (!args) return 2;
  let report: AuditReport;
  if (args.base) {
    report = await runAudit({
      base: args.base,
      ...(await canariesFor(args.canaries, args.segments)),
      sessionToken: args["session-token"] ?? null,
      mailboxDir: args.mailbox ?? null,
    });
  } else {
    const site = await startAuditSite({ databaseUrl: args["database-url"] });
    try {
      const notes = [`the production build on a throw-away ${args["database-url"] ? "PostgreSQL" : "PGlite"} database, with ${Object.entries(AUDIT_SITE_ENV).map(([k, v]) => `${k}=${v}`).join(", ")}, behind a hop that appends the client address to X-Forwarded-For`];
      report = await runAudit({ base: site.url, articles: site.articles, segments: site.segments, sessionToken: site.sessionToken, mailboxDir: site.mailboxDir, notes });
    } finally {
      await site.close();
    }
  }
  const files = writeReport(report, args.out);
  printSummary(report, files);
  return report.ok ? 0 : 1;
}

async function canariesFor(file: string | undefined, segmentsFile: string | undefined): Promise<{ articles: AuditArticle[]; segments: AuditSegment[] }> {
  if (file) {
    const segments = segmentsFile ? z.array(auditSegmentSchema).parse(JSON.parse(fs.readFileSync(segmentsFile, "utf8"))) : [];
    return { articles: z.array(auditArticleSchema).parse(JSON.parse(fs.readFileSync(file, "utf8"))), segments };
  }
  const handle = await openEnvDatabase();
  try {
    return { articles: await loadAuditArticles(handle.db), segments: await loadAuditSegments(handle.db) };
  } finally {
    await handle.close();
  }
}

function printSummary(report: AuditReport, files: { json: string; html: string }): void {
  for (const note of report.notes) console.log(`Site: ${note}`);
  console.log(`\nLeak audit of ${report.base}: ${report.articles.length} articles, ${report.channels.reduce((n, c) => (c.name === "caching" ? n : n + c.probes), 0)} requests, ${(report.durationMs / 1000).toFixed(1)} s`);
  for (const c of report.channels) console.log(`  ${c.name.padEnd(17)} ${String(c.probes).padStart(5)} checked  ${c.findings} found  ${(c.ms / 1000).toFixed(1)} s`);
  for (const s of report.skipped) console.log(`  not checked: ${s.channel}: ${s.why}`);
  for (const f of report.findings) {
    if (f.channel === "public-fields") {
      console.log(`\nLEAK (public field) article ${f.article.slug} (#${f.article.id}): its ${f.where} repeats a sentence of the locked part, shown to anyone\n  “${f.canary}”`);
      continue;
    }
    console.log(`\nLEAK (${f.kind}) channel ${f.channel}, article ${f.article.slug} (#${f.article.id}), as ${f.identity}\n  ${f.method} ${f.url}`);
    for (const [k, v] of Object.entries(f.headers)) console.log(`  ${k}: ${v}`);
    console.log(`  found in ${f.where}: “${f.canary}”`);
  }
  console.log(`\n${report.ok ? "PASS: no locked text found where it must not be." : `FAIL: ${report.findings.length} findings.`}\nReport: ${files.html} (and ${path.basename(files.json)})`);
}

exitWith(main);
