import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { requireAdmin } from "@/lib/auth/current-user";
import { listPublishedArticles } from "@/lib/content/articles";
import { findNewsletter } from "@/lib/newsletters/catalog";
import { listIssues } from "@/lib/admin/newsletters/report";
import { subscribersOverTime } from "@/lib/admin/newsletters/stats";
import { BackLink } from "../../_components/back-link";
import { ActionButton } from "../../_components/action-button";
import { DataTable } from "../../_components/data-table";
import { pathIdOr404 } from "../../_components/path-id";
import { archiveNewsletterAction } from "../actions";
import { DayBarChart } from "../bar-chart";
import { IssueForm, NewsletterForm } from "../forms";

export const metadata: Metadata = { title: "Newsletter · Admin" };

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function NewsletterPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const db = await getDb();
  const newsletter = await findNewsletter(db, await pathIdOr404(params));
  if (!newsletter) notFound();
  const [issues, history, articles] = await Promise.all([listIssues(db, newsletter.id), subscribersOverTime(db, newsletter.id, 30), listPublishedArticles(db, new Date(), 50)]);
  return (
    <section className="admin-page admin-page--wide">
      <BackLink href="/admin/newsletters">Newsletters</BackLink>
      <h1>{newsletter.name}</h1>
      <DayBarChart title="Subscribers at the end of each day, last 30 days" points={history.map((p) => ({ day: p.day, value: p.subscribers }))} />
      <h2>Issues</h2>
      <DataTable columns={["Subject", "State", "Sent", "Created"]} rows={issues} testId="issues" empty="No issues yet.">
        {({ issue, sent }) => (
          <tr key={issue.id}>
            <td>
              <Link href={`/admin/newsletters/issues/${issue.id}`} prefetch={false}>
                {issue.subject}
              </Link>
            </td>
            <td>{issue.state}</td>
            <td>{sent}</td>
            <td>{dateFormat.format(issue.createdAt)}</td>
          </tr>
        )}
      </DataTable>
      <h2>New issue</h2>
      <IssueForm target={{ newsletterId: newsletter.id }} articles={articles.map((a) => ({ id: a.id, title: a.title, access: a.access }))} />
      <h2>Settings</h2>
      <NewsletterForm newsletter={{ ...newsletter, description: newsletter.description }} />
      <ActionButton
        action={archiveNewsletterAction}
        fields={{ id: newsletter.id, archived: newsletter.archivedAt ? "false" : "true" }}
        label={newsletter.archivedAt ? "Restore" : "Archive"}
        pendingLabel="Saving…"
      />
    </section>
  );
}
