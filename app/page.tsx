import { connection } from "next/server";
import { ArticleTeaser } from "./article-teaser";
import { getLatestArticles } from "@/lib/content/front-page";
import { getSignupFormMarkup } from "@/lib/newsletters/signup-form";
import { ReceiptNotice } from "@/app/receipt-notice";

export default async function FrontPage() {
  await connection(); // Rendered per request from a short-lived cache, never at build time.
  const [[lead, ...rest], signup] = await Promise.all([getLatestArticles(), getSignupFormMarkup()]);
  if (!lead) {
    return (
      <section className="notice">
        <h1>No stories yet</h1>
        <p>Published articles will appear here.</p>
      </section>
    );
  }
  return (
    <div className="front">
      <ReceiptNotice />
      <h1 className="visually-hidden">Latest news</h1>
      <ArticleTeaser article={lead} lead />
      <ul className="teasers" role="list">
        {rest.map((article) => (
          <li key={article.id}>
            <ArticleTeaser article={article} />
          </li>
        ))}
      </ul>
      {/* Our own escaped markup: the same plain HTML form as at the end of every article. */}
      <div dangerouslySetInnerHTML={{ __html: signup }} />
    </div>
  );
}
