import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { readerDetail } from "@/lib/admin/subscribers/reader-detail";
import { readerIdSchema } from "@/lib/admin/subscribers/form";
import { requireAdmin } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { AccountFacts } from "./account-facts";
import { formatUtc } from "../../_components/format";
import { DeleteReaderForm } from "./delete-reader-form";
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
      <h1>{reader.account.email ?? (reader.account.deletedAt ? "(deleted account)" : "(no email)")}</h1>
      <AccountFacts reader={reader} />
      <GrantsSection userId={reader.account.id} grants={reader.grants} />
      <SubscriptionsSection subscriptions={reader.subscriptions} />
      <ConsentsSection consents={reader.consents} userId={reader.account.id} />
      <InvoicesSection invoices={reader.invoices} />
      <EventsSection events={reader.events} hasCustomer={reader.customerIds.length > 0} />
      <h2>Delete this account</h2>
      {reader.account.deletedAt ? (
        <p data-testid="account-deleted">Deleted on {formatUtc(reader.account.deletedAt)}. Invoices and consent records are kept, attached to this id only.</p>
      ) : reader.account.role === "admin" ? (
        <p>An admin account cannot be deleted here: take its address out of ADMIN_EMAILS first.</p>
      ) : (
        <DeleteReaderForm userId={reader.account.id} email={reader.account.email} />
      )}
    </section>
  );
}
