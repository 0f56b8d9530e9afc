import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { sourceClass } from "@/db/schema";
import { ATTRIBUTION_PERIODS, parseAttributionQuery, SOURCE_LABELS } from "@/lib/admin/attribution/form";
import { loadAttribution, MIN_READERS_FOR_RATE, type ArticleAttribution } from "@/lib/admin/attribution/queries";
import { requireAdmin } from "@/lib/auth/current-user";
import { BarsChart } from "../_components/charts";
import { DataTable } from "../_components/data-table";
import { errorProps, FieldError } from "../_components/field-error";

export const metadata: Metadata = { title: "Attribution · Admin" };

const ENTRY_NOTE =
  "A conversion is credited to the last article the reader read before it (where they met the paywall card, the offer card or the newsletter box, or which a gift link opened) and to the source of their last arrival from outside (30 days).";

export default async function AttributionPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const { query, errors } = parseAttributionQuery(await searchParams);
  const report = await loadAttribution(await getDb(), query);
  const exportHref = `/admin/attribution/export?days=${query.days}${query.source ? `&source=${query.source}` : ""}`;
  const sourceName = query.source ? SOURCE_LABELS[query.source] : "every source";
  const errorText = Object.values(errors);
  return (
    <section className="admin-page admin-page--wide">
      <header className="admin-page__header">
        <h1>Attribution</h1>
        <a className="button button--secondary" href={exportHref} data-testid="attribution-export">
          Export CSV
        </a>
      </header>
      <form className="admin-filters" method="get" action="/admin/attribution" role="search" aria-label="Period and source">
        <div className="field">
          <label htmlFor="days">Period</label>
          <select id="days" name="days" defaultValue={String(query.days)} {...errorProps("days", errors)}>
            {ATTRIBUTION_PERIODS.map((d) => (
              <option key={d} value={d}>
                Last {d} days
              </option>
            ))}
          </select>
          <FieldError name="days" errors={errors} />
        </div>
        <div className="field">
          <label htmlFor="source">Source</label>
          <select id="source" name="source" defaultValue={query.source ?? ""} {...errorProps("source", errors)}>
            <option value="">Any</option>
            {sourceClass.enumValues.map((s) => (
              <option key={s} value={s}>
                {SOURCE_LABELS[s]}
              </option>
            ))}
          </select>
          <FieldError name="source" errors={errors} />
        </div>
        <button className="button button--secondary" type="submit">
          Show
        </button>
      </form>
      {errorText.length > 0 && (
        <p role="alert" className="form-message form-message--error">
          The report below ignores what could not be read: {errorText.join(" ")}
        </p>
      )}
      <p className="admin-muted">
        Last {query.days} days (UTC), {sourceName}. {ENTRY_NOTE}
      </p>

      <BarsChart
        title={`Subscriptions by source, last ${query.days} days`}
        rowHeading="Source"
        testId="attribution-chart"
        rows={report.bySourceClass.map((r) => ({ key: r.sourceClass, label: SOURCE_LABELS[r.sourceClass], count: r.subscriptions }))}
      />

      <h2>Top articles by subscriptions</h2>
      <ArticleTable rows={report.bySubscriptions} testId="attribution-by-subscriptions" empty="No subscription in this period yet." />

      <h2>Top articles by conversion rate</h2>
      <p className="admin-muted">
        Subscriptions ÷ readers who saw the article’s paywall (each browser once in 30 days, from every source), for articles with at least{" "}
        {MIN_READERS_FOR_RATE} such readers.
      </p>
      <ArticleTable rows={report.byConversion} testId="attribution-by-conversion" empty="No article has enough paywall readers and a subscription yet." />

      <h2>By source</h2>
      <DataTable
        columns={["Source", "Referrer", "Campaign", "Registrations", "Newsletter sign-ups", "Checkouts", "Subscriptions"]}
        rows={report.bySource}
        testId="attribution-by-source"
        empty="No conversion in this period yet."
      >
        {(r) => (
          <tr key={`${r.sourceClass}|${r.referrerHost ?? ""}|${r.utmCampaign ?? ""}`} data-source={r.sourceClass}>
            <th scope="row">{SOURCE_LABELS[r.sourceClass]}</th>
            <td>{r.referrerHost ?? "—"}</td>
            <td>{r.utmCampaign ?? "—"}</td>
            <td>{r.registrations}</td>
            <td>{r.newsletterSignups}</td>
            <td>{r.checkouts}</td>
            <td data-subscriptions>{r.subscriptions}</td>
          </tr>
        )}
      </DataTable>
    </section>
  );
}

function ArticleTable({ rows, testId, empty }: { rows: ArticleAttribution[]; testId: string; empty: string }) {
  return (
    <DataTable
      columns={["Article", "Registrations", "Newsletter sign-ups", "Checkouts", "Subscriptions", "Saw the paywall", "Conversion"]}
      rows={rows}
      testId={testId}
      empty={empty}
    >
      {(r) => (
        <tr key={r.articleId ?? "none"} data-article={r.slug ?? ""}>
          <th scope="row">{r.slug ? <a href={`/articles/${r.slug}`}>{r.title}</a> : "No article (arrived and converted elsewhere)"}</th>
          <td>{r.registrations}</td>
          <td>{r.newsletterSignups}</td>
          <td>{r.checkouts}</td>
          <td data-subscriptions>{r.subscriptions}</td>
          <td data-paywall-readers>{r.paywallReaders}</td>
          <td>{r.conversion === null ? "—" : `${r.conversion}%`}</td>
        </tr>
      )}
    </DataTable>
  );
}
