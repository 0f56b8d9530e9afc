import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listGiftSubscriptions } from "@/lib/admin/gift-subscriptions/commands";
import { requireAdmin } from "@/lib/auth/current-user";
import { formatMoney } from "@/lib/billing/money";
import { ActionButton } from "../_components/action-button";
import { DataTable } from "../_components/data-table";
import { formatUtc } from "../_components/format";
import { refundGiftAction, resendGiftAction } from "./actions";

export const metadata: Metadata = { title: "Gift subscriptions · Admin" };

export default async function GiftSubscriptionsPage() {
  await requireAdmin();
  const { gifts, totals } = await listGiftSubscriptions(await getDb());
  return (
    <section className="admin-page admin-page--wide">
      <h1>Gift subscriptions</h1>
      <p>
        Months of a plan bought for someone else with one payment (<a href="/gift">/gift</a>). Not to be confused with gift links, which open one article.
        A refund revokes a gift that was not redeemed.
      </p>
      <p data-testid="gift-totals">
        Sold: {totals.sold} · Redeemed: {totals.redeemed} · Pending: {totals.pending}
      </p>
      <DataTable columns={["#", "Buyer", "Recipient", "Gift", "Paid", "Delivery", "Status", "Actions"]} rows={gifts} empty="No gift subscriptions yet." caption="Gift subscriptions, newest first" testId="gift-subscriptions">
        {(g) => (
          <tr key={g.id} data-gift={g.recipientEmail}>
            <th scope="row">{g.id}</th>
            <td>{g.buyerEmail}</td>
            <td>{g.recipientEmail}</td>
            <td>
              {g.months} {g.months === 1 ? "month" : "months"} of {g.planName}
            </td>
            <td>{g.paidAt ? `${formatMoney(g.amount, g.currency)}, ${formatUtc(g.paidAt)}` : "—"}</td>
            <td>
              {g.deliverOn}
              {g.mailings > 1 ? ` (sent ${g.mailings} times)` : ""}
            </td>
            <td data-testid="status">{g.status}</td>
            <td>
              {g.status === "delivered" && <ActionButton action={resendGiftAction} fields={{ giftId: g.id }} label="Resend" pendingLabel="Sending…" ariaLabel={`Resend gift ${g.id}`} />}
              {(g.status === "scheduled" || g.status === "delivered" || g.status === "refund pending") && (
                <ActionButton action={refundGiftAction} fields={{ giftId: g.id }} label="Refund" pendingLabel="Refunding…" ariaLabel={`Refund gift ${g.id}`} />
              )}
            </td>
          </tr>
        )}
      </DataTable>
    </section>
  );
}
