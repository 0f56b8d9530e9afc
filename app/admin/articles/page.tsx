import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listArticlesForAdmin } from "@/lib/admin/articles/queries";
import { articleListQuerySchema, type ArticleListQuery } from "@/lib/admin/articles/schema";
import { requireAdmin } from "@/lib/auth/current-user";
import { formatUtc } from "../_components/format";

export const metadata: Metadata = { title: "Articles · Admin" };

const STATUS_LABEL = { draft: "Draft", scheduled: "Scheduled", published: "Published" } as const;
const ACCESS_LABEL = { free: "Free", metered: "Metered", subscribers: "Subscribers" } as const;

function pageHref(query: ArticleListQuery, after?: number): string {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.access) params.set("access", query.access);
  if (query.status) params.set("status", query.status);
  if (after) params.set("after", String(after));
  const search = params.toString();
  return search ? `/admin/articles?${search}` : "/admin/articles";
}

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

      <form className="admin-filters" method="get" action="/admin/articles" role="search">
        <div className="field">
          <label htmlFor="q">Search headline or slug</label>
          <input id="q" name="q" type="search" defaultValue={query.q ?? ""} maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="access">Access</label>
          <select id="access" name="access" defaultValue={query.access ?? ""}>
            <option value="">Any</option>
            <option value="free">Free</option>
            <option value="metered">Metered</option>
            <option value="subscribers">Subscribers only</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={query.status ?? ""}>
            <option value="">Any</option>
            <option value="draft">Draft</option>
            <option value="scheduled">Scheduled</option>
            <option value="published">Published</option>
          </select>
        </div>
        <button className="button button--secondary" type="submit">
          Filter
        </button>
      </form>

      <p className="admin-count">
        {total} {total === 1 ? "article" : "articles"}
      </p>
      {rows.length === 0 ? (
        <p>No article matches.</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Headline</th>
              <th scope="col">Access</th>
              <th scope="col">Status</th>
              <th scope="col">Publication</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
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
            ))}
          </tbody>
        </table>
      )}

      {(query.after || next) && (
        <nav className="admin-pagination" aria-label="Pages">
          {query.after && <Link href={pageHref(query)}>← Newest</Link>}
          {next && <Link href={pageHref(query, next)}>Older →</Link>}
        </nav>
      )}
    </section>
  );
}
