import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listArticlesForAdmin } from "@/lib/admin/articles/queries";
import { articleListQuerySchema, type ArticleListQuery } from "@/lib/admin/articles/form";
import { requireAdmin } from "@/lib/auth/current-user";
import { DataTable, RowCount } from "../_components/data-table";
import { Filters, SearchFilter, SelectFilter } from "../_components/filters";
import { formatUtc } from "../_components/format";
import { listHref, Pagination } from "../_components/pagination";

export const metadata: Metadata = { title: "Articles · Admin" };

const STATUS_LABEL = { draft: "Draft", scheduled: "Scheduled", published: "Published" } as const;
const ACCESS_LABEL = { free: "Free", metered: "Metered", subscribers: "Subscribers" } as const;

const pageHref = (query: ArticleListQuery, after?: number) =>
  listHref("/admin/articles", { q: query.q, access: query.access, status: query.status, after });

export default async function ArticlesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const query = articleListQuerySchema.parse(await searchParams);
  const { rows, total, next } = await listArticlesForAdmin(await getDb(), query);

  return (
    <section className="admin-page admin-page--wide">
      <header className="admin-page__header">
        <h1>Articles</h1>
        <div className="actions">
          <Link className="button" href="/admin/articles/new">
            New article
          </Link>
          <Link className="button button--secondary" href="/admin/articles/import">
            Import plain text
          </Link>
        </div>
      </header>

      <Filters action="/admin/articles" submit="Filter">
        <SearchFilter name="q" label="Search headline or slug" value={query.q} />
        <SelectFilter name="access" label="Access" value={query.access} options={{ ...ACCESS_LABEL, subscribers: "Subscribers only" }} />
        <SelectFilter name="status" label="Status" value={query.status} options={STATUS_LABEL} />
      </Filters>

      <RowCount total={total} one="article" many="articles" />
      <DataTable columns={["Headline", "Access", "Status", "Publication", "Updated"]} rows={rows} empty="No article matches.">
        {(row) => (
          <tr key={row.id}>
            <td>
              <Link href={`/admin/articles/${row.id}`}>{row.title}</Link>
              <br />
              <small className="admin-muted">/articles/{row.slug}</small>
            </td>
            <td>{ACCESS_LABEL[row.access]}</td>
            <td>
              <span className={`badge admin-status admin-status--${row.status}`}>{STATUS_LABEL[row.status]}</span>
            </td>
            <td className="admin-nowrap">{formatUtc(row.publishedAt)}</td>
            <td className="admin-nowrap">{formatUtc(row.updatedAt)}</td>
          </tr>
        )}
      </DataTable>

      <Pagination first={query.after ? pageHref(query) : null} next={next ? pageHref(query, next) : null} />
    </section>
  );
}
