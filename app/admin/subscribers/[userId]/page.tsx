import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { readerDetail } from "@/lib/admin/subscribers/reader-detail";
import { readerIdSchema } from "@/lib/admin/subscribers/form";
import { requireAdmin } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { AccountFacts } from "./account-facts";
import { ConsentsSection, EventsSection, InvoicesSection, SubscriptionsSection } from "./billing-sections";
import { GrantsSection } from "./grants-section";

export const metadata: Metadata = { title: "Reader · Admin" };

export default async function ReaderPage({ params }: { params: Promise<{ userId: string }> }) {
  await requireAdmin();
  const userId = readerIdSchema.safeParse((await params).userId);
  if (!userId.success) notFound();
  const reader = await readerDetail(await getDb(), userId.data, env().BILLING_GRACE_DAYS);
  if (!reader) notFound();
  return (
    <section className="admin-page admin-page--wide">
      <p className="admin-breadcrumb">
        <Link href="/admin/subscribers">Subscribers</Link>
      </p>
      <h1>{reader.account.email ?? "(no email)"}</h1>
      <AccountFacts reader={reader} />
      <GrantsSection userId={reader.account.id} grants={reader.grants} />
      <SubscriptionsSection subscriptions={reader.subscriptions} />
      <ConsentsSection consents={reader.consents} />
      <InvoicesSection invoices={reader.invoices} />
      <EventsSection events={reader.events} hasCustomer={reader.customerIds.length > 0} />
    </section>
  );
}
