import fs from "node:fs";
import path from "node:path";

/** Writes a report into `dir` as JSON and as its readable HTML page, under the names given; returns their paths. */
export function writeReportFiles<R>(dir: string, names: { json: string; html: string }, report: R, toHtml: (report: R) => string): { json: string; html: string } {
  fs.mkdirSync(dir, { recursive: true });
  const json = path.join(dir, names.json);
  const html = path.join(dir, names.html);
  fs.writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(html, toHtml(report));
  return { json, html };
}
