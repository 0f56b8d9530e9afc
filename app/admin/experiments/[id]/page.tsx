import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { experimentFormChoices, experimentReport, type MoneyByCurrency } from "@/lib/admin/experiments/queries";
import { experimentFormValues } from "@/lib/admin/experiments/form";
import { ExperimentForm } from "../experiment-form";
import { requireAdmin } from "@/lib/auth/current-user";
import { formatMoney } from "@/lib/billing/money";
import { MIN_READERS_PER_VARIANT, MIN_SUBSCRIPTIONS } from "@/lib/experiments/results";
import { BackLink } from "../../_components/back-link";
import { ActionButton } from "../../_components/action-button";
import { DataTable } from "../../_components/data-table";
import { formatUtc } from "../../_components/format";
import { pathIdOr404 } from "../../_components/path-id";
import { applyWinnerAction, stopExperimentAction } from "../actions";

export const metadata: Metadata = { title: "Experiment results · Admin" };

const percent = (x: number) => `${(x * 100).toFixed(2)} %`;
const money = (list: MoneyByCurrency[] | undefined) => (list && list.length > 0 ? list.map((m) => formatMoney(m.amount, m.currency)).join(" + ") : "—");

export default async function ExperimentResultsPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const db = await getDb();
  const report = await experimentReport(db, await pathIdOr404(params));
  if (!report) notFound();
  // A draft has no results yet: its page edits it (with the same checks as a new one).
  if (report.experiment.state === "draft") {
    return (
      <section className="admin-page admin-page--wide">
        <BackLink href="/admin/experiments">Experiments</BackLink>
        <h1>{report.experiment.name}</h1>
        <p data-testid="experiment-state">draft: edit it until it starts.</p>
        <ExperimentForm id={report.experiment.id} initial={experimentFormValues(report.experiment)} choices={await experimentFormChoices(db)} />
      </section>
    );
  }
  const { experiment, results, revenue, articles } = report;
  const variantName = (id: number) => experiment.variants.find((v) => v.id === id)?.name ?? "?";
  const applied = experiment.variants.find((v) => v.id === experiment.appliedVariantId);
  return (
    <section className="admin-page admin-page--wide">
      <BackLink href="/admin/experiments">Experiments</BackLink>
      <h1>{experiment.name}</h1>
      <p data-testid="experiment-state">
        {experiment.state}
        {experiment.startedAt ? `, started ${formatUtc(experiment.startedAt)}` : ""}
        {experiment.stoppedAt ? `, stopped ${formatUtc(experiment.stoppedAt)}` : ""}
        {applied ? `; ${applied.name} was applied as the site's default` : ""}.
      </p>
      {experiment.state === "running" && <ActionButton action={stopExperimentAction} fields={{ id: experiment.id }} label="Stop the experiment" pendingLabel="Stopping…" />}
      {results.sampleRatio.mismatch && (
        <p className="form-message form-message--error" role="alert" data-testid="srm-warning">
          Sample ratio mismatch: the readers per variant are too far from the planned split (chi-square p = {results.sampleRatio.pValue.toPrecision(2)}). Something other than
          chance sorts readers (a cache, a redirect, a crawler): do not trust these results until it is found.
        </p>
      )}
      {results.tooLittleData && (
        <p className="form-message" role="status" data-testid="too-little-data">
          Too little data to conclude: wait for at least {MIN_READERS_PER_VARIANT} readers in every variant and {MIN_SUBSCRIPTIONS} subscriptions in all before reading anything
          into the differences.
        </p>
      )}
      <table className="admin-table" data-testid="experiment-results">
        <caption>Results per variant (conversion: subscriptions ÷ readers)</caption>
        <thead>
          <tr>
            <th scope="col">Variant</th>
            <th scope="col">Share</th>
            <th scope="col">Readers</th>
            <th scope="col">Paywall views</th>
            <th scope="col">Registrations</th>
            <th scope="col">Newsletter sign-ups</th>
            <th scope="col">Checkouts</th>
            <th scope="col">Subscriptions</th>
            <th scope="col">First payments</th>
            <th scope="col">MRR added</th>
            <th scope="col">Conversion (95 % interval)</th>
            <th scope="col">Probability to beat control</th>
            <th scope="col">Winner</th>
          </tr>
        </thead>
        <tbody>
          {results.variants.map((v) => (
            <tr key={v.variantId} data-variant={v.name}>
              <th scope="row">
                {v.name}
                {v.control ? " (control)" : ""}
              </th>
              <td>{v.weight}</td>
              <td data-testid="readers">{v.readers}</td>
              <td data-testid="paywall-views">{v.paywallViews}</td>
              <td data-testid="registrations">{v.registrations}</td>
              <td>{v.newsletterSignups}</td>
              <td data-testid="checkouts">{v.checkouts}</td>
              <td data-testid="subscriptions">{v.subscriptions}</td>
              <td>{money(revenue.get(v.variantId)?.firstPayments)}</td>
              <td>{money(revenue.get(v.variantId)?.mrrAdded)}</td>
              <td data-testid="conversion">
                {percent(v.conversion)} ({percent(v.interval.low)} – {percent(v.interval.high)})
              </td>
              <td>{v.probabilityToBeatControl === null ? "—" : percent(v.probabilityToBeatControl)}</td>
              <td>
                {!v.control && experiment.state !== "draft" && !applied && (
                  <ActionButton
                    action={applyWinnerAction}
                    fields={{ id: experiment.id, variantId: v.variantId }}
                    label="Apply as default"
                    pendingLabel="Applying…"
                    ariaLabel={`Apply ${v.name} as the site's default`}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Subscriptions by article</h2>
      <DataTable columns={["Variant", "Article", "Subscriptions"]} rows={articles} empty="No subscriptions credited yet." caption="The article each subscription started from, per variant" testId="experiment-articles">
        {(a) => (
          <tr key={`${a.variantId}-${a.articleId}`} data-variant={variantName(a.variantId)} data-article={a.slug ?? ""}>
            <td>{variantName(a.variantId)}</td>
            <td>{a.title ?? "No article (direct)"}</td>
            <td data-testid="subscriptions">{a.subscriptions}</td>
          </tr>
        )}
      </DataTable>
      <p className="field-hint">
        Readers: browsers that were shown the variant (each once, from the first article they opened while it ran). A conversion is credited to every variant its browser had
        been shown, while the experiment ran. Applying a variant makes its settings the site&apos;s (recorded in the audit log) and stops the experiment.
      </p>
    </section>
  );
}
