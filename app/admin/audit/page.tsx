import type { Metadata } from "next";
import { z } from "zod";
import { getDb } from "@/db/client";
import { listAuditEntries } from "@/lib/admin/audit/queries";
import { requireAdmin } from "@/lib/auth/current-user";
import { DataTable } from "../_components/data-table";
import { formatUtc } from "../_components/format";
import { pageLinks, Pagination } from "../_components/pagination";

export const metadata: Metadata = { title: "Audit log · Admin" };

const pageSchema = z.coerce.number<unknown>().int().min(1).max(100_000).catch(1);

function Json({ label, value }: { label: string; value: unknown }) {
  if (value === null || value === undefined) return <span className="admin-muted">{label}: none</span>;
  return (
    <details className="admin-json">
      <summary>{label}</summary>
      <pre>{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const page = pageSchema.parse((await searchParams).page);
  const { rows, pages } = await listAuditEntries(await getDb(), page);
  return (
    <section className="admin-page admin-page--wide">
      <h1>Audit log</h1>
      <DataTable columns={["When", "Who", "What", "Target", "Change"]} rows={rows} empty="No admin changes yet." className="admin-table admin-audit">
        {(row) => (
          <tr key={row.id}>
            <td>
              <time dateTime={row.at.toISOString()}>{formatUtc(row.at)}</time>
            </td>
            <td>{row.actor}</td>
            <td>
              <code>{row.action}</code>
            </td>
            <td>
              {row.targetType}
              {row.targetId !== null && ` #${row.targetId}`}
            </td>
            <td className="admin-json-cell">
              <Json label="Before" value={row.before} />
              <Json label="After" value={row.after} />
            </td>
          </tr>
        )}
      </DataTable>
      <Pagination {...pageLinks(page, pages, (to) => `/admin/audit?page=${to}`)} />
    </section>
  );
}
