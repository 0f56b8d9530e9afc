import { ruleOutcomes } from "@/lib/trace/decision-rules";
import { meterFacts, supportExplanation } from "@/lib/trace/explanation";
import type { AccessTrace } from "@/lib/trace/trace-reading";
import { DataTable } from "../_components/data-table";
import { formatUtc } from "../_components/format";

const until = (e: { until: Date | null } | null) => (e ? (e.until ? `until ${formatUtc(e.until)}` : "yes, no set end") : "no");

/** Every input of one decision, the rule that fired, and what the reader would be sent. */
export function TraceResult({ trace, readerLabel, traceIssuedAt }: { trace: AccessTrace; readerLabel: string; traceIssuedAt: Date | null }) {
  const { decision, explained, article, settings } = trace;
  const meter = meterFacts(explained);
  const sent =
    decision.level === "full"
      ? `the full article: all ${article.blocks} blocks`
      : `the preview: ${article.previewBlocks === 0 ? "headline and standfirst only" : `blocks 1–${article.previewBlocks}`} of ${article.blocks}, then the paywall card`;
  return (
    <div className="trace" data-testid="trace">
      <h2>Decision: {decision.level}</h2>
      <p data-testid="trace-reason">
        <strong>{decision.reason}</strong>: {supportExplanation(explained)}
      </p>
      <p>
        Would send {sent}.{decision.reason === "counted" ? " The read would spend one metered article; this trace spent nothing." : ""}
        {!article.published && " The article is not published: readers get a 404."}
      </p>
      <DataTable columns={["Rule, in the order they are tried", "Outcome"]} rows={ruleOutcomes(decision.reason)}>
        {(r) => (
          <tr key={r.reason} aria-current={r.outcome === "fired" ? "true" : undefined}>
            <td>{r.rule}</td>
            <td>{r.outcome === "fired" ? <strong>fired</strong> : r.outcome}</td>
          </tr>
        )}
      </DataTable>

      <h2>Inputs</h2>
      <dl className="facts">
        <dt>Reader</dt>
        <dd>{trace.account ? `${readerLabel} (signed in)` : readerLabel}</dd>
        {traceIssuedAt && (
          <>
            <dt>Trace id issued</dt>
            <dd>{formatUtc(traceIssuedAt)}</dd>
          </>
        )}
        {trace.account && (
          <>
            <dt>Account</dt>
            <dd>
              {trace.account.role}, email {trace.account.emailVerified ? `confirmed ${formatUtc(trace.account.emailVerified)}` : "not confirmed"}, since {formatUtc(trace.account.createdAt)}
            </dd>
            <dt>Entitlement now</dt>
            <dd>{explained.entitlement ? `${explained.entitlement.source}, ${until(explained.entitlement)}` : "none"}</dd>
          </>
        )}
        <dt>Meter</dt>
        <dd>
          {meter.used} of {meter.limit} used in the window {formatUtc(meter.start)} – {formatUtc(meter.renews)}
          {trace.storedMeter && trace.storedMeter.windowStart !== explained.window.windowStart ? " (the stored window had ended: a new one starts)" : ""}; articles counted:{" "}
          {explained.window.articleIds.length > 0 ? explained.window.articleIds.map((id) => `#${id}`).join(", ") : "none"}
        </dd>
        <dt>Article</dt>
        <dd>
          #{article.id} {article.slug}: {article.access}, {article.published ? `published ${formatUtc(article.publishedAt)}` : "not published"}; lead-in {article.leadIn}
          {article.leadInBlocks === null ? " (the default)" : ""}, preview shows {article.previewBlocks} of {article.blocks} blocks
        </dd>
        <dt>Experiments</dt>
        <dd data-testid="trace-variants">
          {explained.variants.length === 0
            ? "none running, or the reader has no id yet"
            : explained.variants.map((v) => `${v.experimentName}: ${v.variantName}${v.control ? " (control)" : ""}`).join("; ")}
        </dd>
        <dt>Segment</dt>
        <dd data-testid="trace-segment">{explained.segment ? `${explained.segment.name} (rule #${explained.segment.id})` : "no rule matches: the site's settings"}</dd>
        <dt>Settings in force</dt>
        <dd>
          anonymous {settings.policy.anonymousLimit}, registered {settings.policy.registeredLimit} per {settings.policy.windowDays} days; default lead-in {settings.defaultLeadInBlocks}
        </dd>
        <dt>Request</dt>
        <dd>
          intent {trace.intent}, at {formatUtc(trace.now)}
        </dd>
      </dl>

      {trace.account && (
        <>
          <h2>Subscriptions</h2>
          <DataTable columns={["Subscription", "Status", "Period (Stripe's clock)", "Ends", "Clock offset", "Reads in full"]} rows={trace.subscriptions} empty="None.">
            {(s) => (
              <tr key={s.stripeSubscriptionId}>
                <td>
                  <code>{s.stripeSubscriptionId}</code> {s.planName ?? ""}
                </td>
                <td>{s.status}</td>
                <td>
                  {formatUtc(s.currentPeriodStart)} – {formatUtc(s.currentPeriodEnd)}
                </td>
                <td>{s.cancelAt ? `cancels ${formatUtc(s.cancelAt)}` : s.cancelAtPeriodEnd ? "at period end" : s.endedAt ? `ended ${formatUtc(s.endedAt)}` : "renews"}</td>
                <td>{s.clockOffsetSeconds} s</td>
                <td>{until(s.entitles)}</td>
              </tr>
            )}
          </DataTable>
          <h2>Grants</h2>
          {trace.grants.length === 0 ? (
            <p>None.</p>
          ) : (
            <ul>
              {trace.grants.map((g) => (
                <li key={g.id}>
                  {g.reason}: {formatUtc(g.startsAt)} – {g.endsAt ? formatUtc(g.endsAt) : "until revoked"}
                  {g.revokedAt ? `, revoked ${formatUtc(g.revokedAt)}` : ""}; reads in full: {until(g.entitles)}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
