import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requireAdmin } from "@/lib/auth/current-user";
import { listAllNewsletters, subscriberCounts } from "@/lib/newsletters/catalog";
import { loadNewsletterSettings } from "@/lib/newsletters/settings";
import { newsletterConversion, signupsPerDay } from "@/lib/admin/newsletters/stats";
import { DataTable } from "../_components/data-table";
import { DayBarChart } from "./bar-chart";
import { NewsletterForm, NewsletterSettingsForm } from "./forms";

export const metadata: Metadata = { title: "Newsletters · Admin" };

const DAYS = 30;

export default async function NewslettersPage() {
  await requireAdmin();
  const db = await getDb();
  const [all, subscribers, settings, signups, conversion] = await Promise.all([
    listAllNewsletters(db),
    subscriberCounts(db),
    loadNewsletterSettings(db),
    signupsPerDay(db, DAYS),
    newsletterConversion(db),
  ]);
  const share = (n: number) => (conversion.subscribers === 0 ? "—" : `${((n / conversion.subscribers) * 100).toFixed(1)} %`);
  return (
    <section className="admin-page admin-page--wide">
      <h1>Newsletters</h1>
      <DataTable columns={["Newsletter", "Who", "Subscribers", "Status"]} rows={all} testId="newsletters" empty="No newsletters yet.">
        {(n) => (
          <tr key={n.id}>
            <td>
              <Link href={`/admin/newsletters/${n.id}`} prefetch={false}>
                {n.name}
              </Link>
              {n.subscribeOnSignup && " · default at sign-up"}
            </td>
            <td>{n.audience === "paid" ? "Paying subscribers" : "Everyone"}</td>
            <td>{subscribers.get(n.id) ?? 0}</td>
            <td>{n.archivedAt ? "Archived" : "Active"}</td>
          </tr>
        )}
      </DataTable>
      <h2>Sign-ups and conversion</h2>
      <DayBarChart title={`Newsletter sign-ups per day, last ${DAYS} days`} points={signups.map((p) => ({ day: p.day, value: p.signups }))} />
      <dl className="facts" data-testid="newsletter-conversion">
        <dt>Readers who signed up to a newsletter</dt>
        <dd>{conversion.subscribers}</dd>
        <dt>Then started a paid subscription</dt>
        <dd>
          {conversion.convertedAfter} ({share(conversion.convertedAfter)})
        </dd>
        <dt>Paying now</dt>
        <dd>
          {conversion.payingNow} ({share(conversion.payingNow)})
        </dd>
      </dl>
      <h2>New newsletter</h2>
      <NewsletterForm />
      <h2>Settings</h2>
      <NewsletterSettingsForm blockedDomains={settings.blockedDomains} messagesPerSecond={settings.messagesPerSecond} />
    </section>
  );
}
