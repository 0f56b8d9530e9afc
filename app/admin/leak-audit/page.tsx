import type { Metadata } from "next";
import { requireAdmin } from "@/lib/auth/current-user";
import { auditToolsPresent, readLastReport, runningSince } from "@/lib/leak-audit/admin-run";
import { ActionButton } from "../_components/action-button";
import { DataTable } from "../_components/data-table";
import { formatUtc } from "../_components/format";
import { runLeakAuditAction } from "./actions";

export const metadata: Metadata = { title: "Leak audit · Admin" };

// The last leak audit's report (from `npm run audit:leaks` or the button here) and a way to run it
// against this site. The report quotes locked sentences: it is shown to admins only.
export default async function LeakAuditPage() {
  await requireAdmin();
  const report = readLastReport();
  const running = runningSince();
  return (
    <section className="admin-page admin-page--wide">
      <h1>Leak audit</h1>
      <p>
        The audit crawls the site as readers who may not read its locked articles (a stranger over the meter, a client with no cookies) through every
        channel: pages and links, feeds and sitemaps, URL variants, prefetch, router, crawler and forged headers, metadata, Chromium with JavaScript off and
        on, and the mail a stranger can trigger. It fails on any sentence of a locked part found where it must not be. Its reads count in the funnel as page
        views.
      </p>
      {running ? (
        <p role="status">Running since {formatUtc(running)}; reload for the report.</p>
      ) : auditToolsPresent() ? (
        <ActionButton action={runLeakAuditAction} fields={{ run: "now" }} label="Run the audit now" pendingLabel="Starting…" secondary={false} />
      ) : (
        <p>This installation has no audit tools (a checkout with its dev dependencies has them): run <code>npm run audit:leaks -- --base URL</code> there.</p>
      )}
      {report === null ? (
        <p>No audit has run here yet.</p>
      ) : "unreadable" in report ? (
        <p role="alert">The last report could not be read: {report.unreadable}</p>
      ) : (
        <>
          <h2 data-testid="leak-audit-verdict">
            {report.ok ? "Passed: no locked text found where it must not be" : `Failed: ${report.findings.length} findings`}
          </h2>
          <p>
            {report.base}, {formatUtc(new Date(report.startedAt))}, {(report.durationMs / 1000).toFixed(1)} s, {report.articles.length} articles.
          </p>
          {report.findings.length > 0 && (
          <DataTable columns={["Channel", "Article", "Reader", "Request", "Where"]} rows={report.findings}>
            {(f) => (
              <tr key={`${f.kind}|${f.channel}|${f.identity}|${f.method}|${f.url}|${JSON.stringify(f.headers)}|${f.article.id}`}>
                <td>{f.kind === "cache" ? "caching" : f.channel}</td>
                <td>{f.article.slug}</td>
                <td>{f.identity}</td>
                <td>
                  <code>
                    {f.method} {f.url}
                    {Object.entries(f.headers).map(([k, v]) => `\n${k}: ${v}`)}
                  </code>
                </td>
                <td>
                  {f.where}: &ldquo;{f.canary}&rdquo;
                </td>
              </tr>
            )}
          </DataTable>
          )}
          <DataTable columns={["Channel", "What it tries", "Requests", "Findings"]} rows={report.channels}>
            {(c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>{c.checks}</td>
                <td>{c.probes}</td>
                <td>{c.findings}</td>
              </tr>
            )}
          </DataTable>
          {report.skipped.length > 0 && (
            <ul>
              {report.skipped.map((s) => (
                <li key={s.channel}>
                  Not checked: {s.channel}: {s.why}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
