import { escapeHtml } from "@/lib/ui/html";
import { writeReportFiles } from "@/lib/ui/report-files";
import type { AuditReport } from "./run-audit";

export const REPORT_JSON = "audit-report.json";
export const REPORT_HTML = "audit-report.html";

/** Writes audit-report.json and audit-report.html into `dir`; returns their paths. */
export function writeReport(report: AuditReport, dir: string): { json: string; html: string } {
  return writeReportFiles(dir, { json: REPORT_JSON, html: REPORT_HTML }, report, reportHtml);
}

const e = (value: unknown) => escapeHtml(String(value));

/** The report as one readable page: the verdict, the channels, each finding with what to reproduce it. */
export function reportHtml(r: AuditReport): string {
  const verdict = r.ok ? "No locked text found where it must not be." : `${r.findings.length} finding${r.findings.length === 1 ? "" : "s"}: locked text left the server.`;
  const findings = r.findings
    .map(
      (f) => `<tr><td>${e(f.kind)}</td><td>${e(f.channel)}</td><td>${e(f.article.slug)}</td><td>${e(f.identity)}</td><td><code>${e(f.method)} ${e(f.url)}</code></td>
<td><code>${e(Object.entries(f.headers).map(([k, v]) => `${k}: ${k === "cookie" ? v.slice(0, 24) + "…" : v}`).join("\n"))}</code></td><td>${e(f.where)}</td><td>“${e(f.canary)}”</td></tr>`,
    )
    .join("\n");
  const channels = r.channels.map((c) => `<tr><td>${e(c.name)}</td><td>${e(c.checks)}</td><td>${c.probes}</td><td>${c.findings}</td><td>${(c.ms / 1000).toFixed(1)} s</td></tr>`).join("\n");
  const skipped = r.skipped.map((s) => `<li>${e(s.channel)}: ${e(s.why)}</li>`).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Leak audit ${r.ok ? "passed" : "FAILED"}</title>
<style>body{font:15px/1.45 system-ui,sans-serif;margin:2rem;max-width:90rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}code{white-space:pre-wrap;font-size:13px}.ok{color:#176117}.bad{color:#a01010}</style></head><body>
<h1 class="${r.ok ? "ok" : "bad"}">Leak audit: ${e(verdict)}</h1>
<p>${e(r.base)}, ${e(r.startedAt)}, ${(r.durationMs / 1000).toFixed(1)} s; ${r.articles.length} articles, ${r.articles.reduce((n, a) => n + a.canaries, 0)} canaries (sentences from locked parts).</p>
${r.notes.map((n) => `<p>Site: ${e(n)}</p>`).join("")}
${r.findings.length ? `<h2>Findings</h2><table><tr><th>kind</th><th>channel</th><th>article</th><th>reader</th><th>request</th><th>headers sent</th><th>where</th><th>canary</th></tr>${findings}</table>` : ""}
<h2>Channels</h2><table><tr><th>channel</th><th>what it tries</th><th>requests</th><th>findings</th><th>time</th></tr>${channels}</table>
${skipped ? `<h2>Not checked</h2><ul>${skipped}</ul>` : ""}
<h2>Readers</h2><ul>${r.identities.map((i) => `<li>${e(i.name)} may read in full: ${e(i.mayRead.join(", ") || "nothing locked")}</li>`).join("")}</ul>
</body></html>
`;
}
