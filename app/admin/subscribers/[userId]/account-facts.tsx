import Link from "next/link";
import type { ReaderDetail } from "@/lib/admin/subscribers/reader-detail";
import { formatUtc } from "../../_components/format";

/** Who the reader is and where they stand: account, access, Stripe customer, meter. */
export function AccountFacts({ reader }: { reader: ReaderDetail }) {
  const { account, entitlement, customerIds, meter } = reader;
  return (
    <dl className="facts">
      <dt>Role</dt>
      <dd>{account.role}</dd>
      <dt>Email confirmed</dt>
      <dd data-testid="email-confirmed">{account.emailVerified ? formatUtc(account.emailVerified) : "Not yet (created by a checkout; no admin rights until confirmed)"}</dd>
      <dt>Member since</dt>
      <dd>{formatUtc(account.memberSince)}</dd>
      <dt>Reads in full</dt>
      <dd data-testid="entitled">
        {entitlement ? `Yes, by ${entitlement.source === "grant" ? "a grant" : "subscription"}${entitlement.until ? ` until ${formatUtc(entitlement.until)}` : ""}` : "No"}
      </dd>
      <dt>Stripe customer</dt>
      <dd>{customerIds.length > 0 ? customerIds.map((id) => <code key={id}>{id} </code>) : "none"}</dd>
      <dt>Access</dt>
      <dd>{account.email && <Link href={`/admin/trace?reader=${encodeURIComponent(account.email)}`}>Trace this reader&apos;s access to an article</Link>}</dd>
      <dt>Meter</dt>
      <dd>{meter ? `${meter.articles} ${meter.articles === 1 ? "article" : "articles"} in the window that started ${formatUtc(meter.windowStart)}` : "No articles counted yet"}</dd>
    </dl>
  );
}
