import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { requireAdmin } from "@/lib/auth/current-user";
import { listPublishedArticles } from "@/lib/content/articles";
import { findIssue, issueReport } from "@/lib/admin/newsletters/report";
import { countIssueRecipients } from "@/lib/newsletters/enqueue";
import { BackLink } from "../../../_components/back-link";
import { ActionButton } from "../../../_components/action-button";
import { DataTable } from "../../../_components/data-table";
import { pathIdOr404 } from "../../../_components/path-id";
import { resendUnknownAction, sendIssueAction, sendTestAction } from "../../actions";
import { IssueForm } from "../../forms";
import { ProgressBar } from "./progress-bar";

export const metadata: Metadata = { title: "Issue · Admin" };


export default async function IssuePage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const db = await getDb();
  const issue = await findIssue(db, await pathIdOr404(params));
  if (!issue) notFound();
  const report = await issueReport(db, issue);
  const articles = issue.state === "draft" ? await listPublishedArticles(db, new Date(), 50) : [];
  const recipients = issue.state === "draft" ? await countIssueRecipients(db, issue.id) : 0;
  return (
    <section className="admin-page admin-page--wide">
      <BackLink href={`/admin/newsletters/${issue.newsletterId}`}>Newsletter</BackLink>
      <h1>{issue.subject}</h1>
      {issue.state === "draft" ? (
        <>
          <IssueForm
            target={{ issueId: issue.id }}
            issue={{ subject: issue.subject, source: issue.articleId ? "article" : "markdown", markdown: issue.markdown ?? "", articleId: String(issue.articleId ?? ""), segment: issue.segment }}
            articles={articles.map((a) => ({ id: a.id, title: a.title, access: a.access }))}
          />
          <div className="actions">
            <ActionButton action={sendTestAction} fields={{ id: issue.id }} label="Send a test to yourself" pendingLabel="Sending…" />
          </div>
          {/* Sending cannot be undone: a second, deliberate step that says to how many it goes. */}
          <details className="admin-confirm">
            <summary className="button">Send to subscribers…</summary>
            <p>
              This sends “{issue.subject}” now to <strong data-testid="recipient-count">{recipients}</strong> {recipients === 1 ? "subscriber" : "subscribers"}. It cannot be
              undone.
            </p>
            <ActionButton
              action={sendIssueAction}
              fields={{ id: issue.id }}
              label={`Send to ${recipients} ${recipients === 1 ? "subscriber" : "subscribers"}`}
              pendingLabel="Queueing…"
              secondary={false}
            />
          </details>
        </>
      ) : (
        report && (
          <>
            <ProgressBar issueId={issue.id} initial={report} />
            <h2>Report</h2>
            <dl className="facts" data-testid="issue-report">
              <dt>Sent</dt>
              <dd>{report.byState.sent}</dd>
              <dt>Failed</dt>
              <dd>{report.byState.failed}</dd>
              <dt>Delivery unknown (interrupted, not resent)</dt>
              <dd>{report.byState.unknown}</dd>
              <dt>Unsubscribed since</dt>
              <dd>{report.unsubscribedSince}</dd>
            </dl>
            {report.byState.unknown > 0 && (
              <ActionButton action={resendUnknownAction} fields={{ id: issue.id }} label={`Send the ${report.byState.unknown} unknown again (they may get it twice)`} pendingLabel="Queueing…" />
            )}
            <DataTable columns={["Recipient", "State", "Reason"]} rows={report.problems} empty={null}>
              {(p) => (
                <tr key={p.email}>
                  <td>{p.email}</td>
                  <td>{p.state}</td>
                  <td>{p.error}</td>
                </tr>
              )}
            </DataTable>
          </>
        )
      )}
    </section>
  );
}
