import type { ArticleMeta } from "@/lib/content/articles";

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

// Plain links: article pages are documents, not client-side routes, so nothing is prefetched.
export function ArticleTeaser({ article, lead = false }: { article: ArticleMeta; lead?: boolean }) {
  const href = `/articles/${article.slug}`;
  const Heading = lead ? "h2" : "h3";
  return (
    <article className={lead ? "teaser teaser--lead" : "teaser"}>
      {article.heroImage && (
        <a href={href} tabIndex={-1} aria-hidden="true" className="teaser__image">
          {/* eslint-disable-next-line @next/next/no-img-element -- local SVG/PNG, no optimiser needed */}
          <img src={article.heroImage} alt="" width={1200} height={675} loading={lead ? "eager" : "lazy"} />
        </a>
      )}
      <div className="teaser__text">
        {article.access === "subscribers" && <span className="badge badge--subscribers">Subscribers only</span>}
        {article.access === "free" && <span className="badge badge--free">Free to read</span>}
        <Heading className="teaser__title">
          <a href={href}>{article.title}</a>
        </Heading>
        {article.dek && <p className="teaser__dek">{article.dek}</p>}
        <p className="teaser__meta">
          {article.byline && <span>{article.byline}</span>}
          {article.publishedAt && (
            <time dateTime={article.publishedAt.toISOString()}>{dateFormat.format(article.publishedAt)}</time>
          )}
        </p>
      </div>
    </article>
  );
}
