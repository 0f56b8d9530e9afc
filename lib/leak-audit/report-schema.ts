import { z } from "zod";

/** One canary found where it must not be (`leak`), or full text a shared cache may keep (`cache`). */
export const findingSchema = z.object({
  kind: z.enum(["leak", "cache"]),
  channel: z.string(),
  identity: z.string(),
  url: z.string(),
  method: z.string(),
  headers: z.record(z.string(), z.string()),
  article: z.object({ id: z.number(), slug: z.string(), title: z.string() }),
  canary: z.string(),
  where: z.string(),
});
export type Finding = z.infer<typeof findingSchema>;

/** audit-report.json: written by tools/leak-audit, read back by the admin's leak audit page. */
export const auditReportSchema = z.object({
  base: z.string(),
  startedAt: z.string(),
  durationMs: z.number(),
  ok: z.boolean(),
  /** How the audited site ran, when the audit started it. */
  notes: z.array(z.string()).default([]),
  articles: z.array(z.object({ id: z.number(), slug: z.string(), access: z.string(), published: z.boolean(), canaries: z.number() })),
  identities: z.array(z.object({ name: z.string(), mayRead: z.array(z.string()) })),
  channels: z.array(z.object({ name: z.string(), checks: z.string(), probes: z.number(), findings: z.number(), ms: z.number() })),
  skipped: z.array(z.object({ channel: z.string(), why: z.string() })),
  findings: z.array(findingSchema),
});
export type AuditReport = z.infer<typeof auditReportSchema>;
