import Link from "next/link";
import type { GiftTotals } from "@/lib/admin/gifts/queries";
import { DataTable } from "../_components/data-table";

const COLUMNS = ["Gifts sent", "Opens", "Registrations", "Subscriptions"] as const;

/** Gifts sent, opens and conversions, one row per article or per subscriber. */
export function GiftTotalsTable({ caption, first, rows }: { caption: string; first: string; rows: Array<GiftTotals & { key: string; name: string; href: string }> }) {
  return (
    <DataTable columns={[first, ...COLUMNS]} rows={rows} caption={caption} empty="No gifts yet.">
      {(r) => (
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
      )}
    </DataTable>
  );
}
