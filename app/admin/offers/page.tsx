import type { Metadata } from "next";
import { getDb } from "@/db/client";
import type { Offer } from "@/db/schema";
import { requireAdmin } from "@/lib/auth/current-user";
import { formatMoney, moneyInputValue } from "@/lib/billing/money";
import { activePlansForOffers, listOffersForAdmin, recentCancellations } from "@/lib/admin/offers/queries";
import { loadRetention, usableForRetention } from "@/lib/retention/retention-offer";
import { featurable } from "@/lib/offers/featured-offer";
import { loadReadingSettings } from "@/lib/settings";
import { describeOffer } from "@/lib/offers/wording";
import { ActionButton } from "../_components/action-button";
import { DataTable } from "../_components/data-table";
import { archiveOfferAction, pushOfferAction } from "./actions";
import { EMPTY_OFFER, OfferForm, type OfferFormValues } from "./offer-form";
import { PlacementForm } from "./placement-form";
import { RetentionForm } from "./retention-form";

export const metadata: Metadata = { title: "Offers · Admin" };

const day = (d: Date | null) => d?.toISOString().slice(0, 10) ?? "";

/** The form's values for an edit: the offer's terms, its end date as the last day it runs. */
function valuesOf(offer: Offer): OfferFormValues {
  return {
    replaces: offer.id,
    name: offer.name,
    code: offer.code,
    kind: offer.kind,
    percentOff: offer.percentOff?.toString() ?? "",
    amountOff: offer.amountOff !== null && offer.currency ? moneyInputValue(offer.amountOff, offer.currency) : "",
    trialDays: offer.trialDays?.toString() ?? "",
    duration: offer.duration,
    durationMonths: offer.durationMonths?.toString() ?? "",
    planIds: offer.planIds,
    newCustomersOnly: offer.newCustomersOnly,
    startsAt: day(offer.startsAt),
    endsAt: offer.endsAt ? day(new Date(offer.endsAt.getTime() - 86_400_000)) : "",
    maxRedemptions: offer.maxRedemptions?.toString() ?? "",
  };
}

export default async function OffersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const db = await getDb();
  const [offers, plans, retention, cancellations, settings] = await Promise.all([
    listOffersForAdmin(db),
    activePlansForOffers(db),
    loadRetention(db),
    recentCancellations(db),
    loadReadingSettings(db),
  ]);
  const editId = Number((await searchParams).edit);
  const editing = offers.find((o) => o.id === editId && !o.archivedAt);
  const planLabels = plans.map((p) => ({ id: p.id, label: `${p.name} (${formatMoney(p.amount, p.currency)} / ${p.interval})` }));
  return (
    <section className="admin-page admin-page--wide">
      <h1>Offers</h1>
      <p>
        Promotions with a link of their own (<code>/offer/CODE</code>). Billing terms never change: editing saves a new offer and archives the old
        one, and subscribers keep the terms they bought.
      </p>
      <DataTable columns={["Offer", "Terms", "Subscriptions", "State", "Actions"]} rows={offers} caption="Offers, live first" emptyRow="No offers yet.">
        {(offer) => {
          const plan = plans.find((p) => offer.planIds.includes(p.id));
          const pushed = offer.kind === "trial" || offer.stripePromotionCodeId !== null;
          return (
            <tr key={offer.id} data-offer={offer.code}>
              <td>
                {offer.name}
                <br />
                <a href={`/offer/${offer.code}`}>/offer/{offer.code}</a>
              </td>
              <td>
                {plan ? describeOffer(offer, plan).headline : "No eligible plan on sale"}
                {offer.newCustomersOnly && " · new customers only"}
                {offer.maxRedemptions !== null && ` · at most ${offer.maxRedemptions}`}
                {offer.endsAt && ` · until ${day(new Date(offer.endsAt.getTime() - 86_400_000))}`}
              </td>
              <td>{offer.subscriptions}</td>
              <td>
                {offer.archivedAt ? "Archived" : pushed ? "Live" : "Not in Stripe yet"}
                {offer.promotionCodeActive && " · typeable at Checkout"}
                {settings.offers.featuredOfferId === offer.id && " · on the paywall card"}
              </td>
              <td className="actions">
                {!offer.archivedAt && <a href={`/admin/offers?edit=${offer.id}`}>Edit</a>}
                {!offer.archivedAt && <ActionButton action={archiveOfferAction} fields={{ id: offer.id }} label="Archive" pendingLabel="Archiving…" ariaLabel={`Archive ${offer.name}`} />}
                {!offer.archivedAt && !pushed && <ActionButton action={pushOfferAction} fields={{ id: offer.id }} label="Retry sync" pendingLabel="Syncing…" ariaLabel={`Sync ${offer.name}`} />}
              </td>
            </tr>
          );
        }}
      </DataTable>
      <h2>{editing ? `Edit ${editing.name} (saves a new offer)` : "New offer"}</h2>
      <OfferForm key={editing?.id ?? "new"} plans={planLabels} initial={editing ? valuesOf(editing) : EMPTY_OFFER} />
      <h2>Where offers appear</h2>
      <PlacementForm offers={offers.filter(featurable).map((o) => ({ id: o.id, label: `${o.name} (${o.code})` }))} current={settings.offers} />
      <h2>Retention offer</h2>
      <p>
        Shown once per subscription on the cancel screen, beside “Cancel anyway”; never to trials or to subscriptions already cancelling. A discount
        runs its months from when the reader accepts it (Stripe’s rule), so the screen names the renewals it covers, and offers nothing when it
        covers none (say, three months on a yearly plan renewing in five).
      </p>
      <RetentionForm
        offers={offers.filter(usableForRetention).map((o) => ({ id: o.id, label: o.name }))}
        current={{
          kind: retention.kind,
          offerId: retention.kind === "discount" ? String(retention.offer.id) : "",
          pauseMonths: retention.kind === "pause" ? String(retention.months) : "",
        }}
      />
      <h2>Recent cancellations</h2>
      <DataTable columns={["Reader", "Plan", "Reason", "Saw the retention offer"]} rows={cancellations} emptyRow="None yet.">
        {(c) => (
          <tr key={c.id}>
            <td>{c.email ?? "—"}</td>
            <td>{c.plan ?? "—"}</td>
            <td>{c.reason}</td>
            <td>{c.offered ? "Yes" : "No"}</td>
          </tr>
        )}
      </DataTable>
    </section>
  );
}
