import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { DASHBOARD_PERIODS, dashboardQuerySchema, loadDashboard } from "@/lib/admin/dashboard/queries";
import { loadLicenceMrr } from "@/lib/admin/organisations/queries";
import { requireAdmin } from "@/lib/auth/current-user";
import { formatMoney } from "@/lib/billing/money";
import { env } from "@/lib/env";
import { discountRevenue } from "@/lib/offers/discount-revenue";
import { FunnelChart, NewAndChurnedChart } from "./_components/charts";

export const metadata: Metadata = { title: "Dashboard · Admin" };

export default async function AdminDashboard({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const { days } = dashboardQuerySchema.parse(await searchParams);
  const dashboard = await loadDashboard(await getDb(), days, env().BILLING_GRACE_DAYS);
  const discounts = await discountRevenue(await getDb(), new Date(), env().BILLING_GRACE_DAYS);
  const licences = await loadLicenceMrr(await getDb());
  const sum = (lines: Array<{ amount: number; currency: string }>) =>
    lines.length === 0 ? formatMoney(0, "usd") : lines.map((m) => formatMoney(m.amount, m.currency)).join(" + ");
  const returning = (currency: string) => discounts.find((d) => d.currency === currency)?.returning ?? 0;
  const mrr = sum(dashboard.mrr);
  const netMrr = sum(dashboard.mrr.map((m) => ({ currency: m.currency, amount: m.amount - returning(m.currency) })));
  const back = sum(discounts.filter((d) => d.returning > 0).map((d) => ({ currency: d.currency, amount: d.returning })));
  const stats = [
    ["Active subscribers", "stat-active", dashboard.counts.active],
    ["Trialing", "stat-trialing", dashboard.counts.trialing],
    ["Past due", "stat-past-due", dashboard.counts.pastDue],
    ["MRR (list)", "stat-mrr", mrr],
    ["MRR (net of discounts)", "stat-net-mrr", netMrr],
    ["Returns when discounts end", "stat-returning", back],
    ["Licence MRR (organisations)", "stat-licence-mrr", sum(licences)],
  ] as const;
  return (
    <section className="admin-page admin-page--wide">
      <header className="admin-page__header">
        <h1>Dashboard</h1>
        <nav className="admin-periods" aria-label="Period">
          {DASHBOARD_PERIODS.map((d) => (
            <Link key={d} href={`/admin?days=${d}`} aria-current={d === days ? "page" : undefined} prefetch={false}>
              {d} days
            </Link>
          ))}
        </nav>
      </header>
      <dl className="admin-stats">
        {stats.map(([label, testId, value]) => (
          <div key={testId}>
            <dt>{label}</dt>
            <dd data-testid={testId}>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="admin-muted admin-stats__note">
        MRR counts each paying subscription’s price per month (a yearly price / 12); trials, incomplete and cancelled subscriptions count 0.
        Net MRR counts what each one’s next payment will be after the discount still in force (a 100 %-off month counts 0 there, not in the
        list MRR).
        Licence MRR counts each organisation&apos;s running licence at its price per month (a year&apos;s price / 12), apart from the subscriptions&apos; MRR.
        Charts cover the last {days} days (UTC).
      </p>
      <div className="admin-charts">
        <NewAndChurnedChart series={dashboard.series} days={days} />
        <FunnelChart steps={dashboard.funnel} days={days} />
      </div>
    </section>
  );
}
