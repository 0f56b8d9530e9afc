import Link from "next/link";
import type { GiftTotals } from "@/lib/admin/gifts/queries";

/** Gifts sent, opens and conversions, one row per article or per subscriber. */
export function GiftTotalsTable({ label, first, rows }: { label: string; first: string; rows: Array<GiftTotals & { key: string; name: string; href: string }> }) {
  if (rows.length === 0) return <p>No gifts yet.</p>;
  return (
    <table className="admin-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{first}</th>
          <th scope="col">Gifts sent</th>
          <th scope="col">Opens</th>
          <th scope="col">Registrations</th>
          <th scope="col">Subscriptions</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-gift-row={r.name}>
            <td>
              <Link href={r.href} prefetch={false}>
                {r.name}
              </Link>
            </td>
            <td>{r.gifts}</td>
            <td>{r.opens}</td>
            <td>{r.registrations}</td>
            <td data-testid="gift-subscriptions">{r.subscriptions}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
