import type { ReaderDetail } from "@/lib/admin/subscribers/reader-detail";
import { ActionButton } from "../../_components/action-button";
import { DataTable } from "../../_components/data-table";
import { formatUtc } from "../../_components/format";
import { revokeGrantAction } from "../actions";
import { GrantForm } from "../grant-form";

/** The reader's grants (an active one can be revoked), and the form to grant access. */
export function GrantsSection({ userId, grants }: { userId: string; grants: ReaderDetail["grants"] }) {
  return (
    <>
      <h2>Complimentary access</h2>
      <DataTable columns={["Reason", "From", "Until", "Granted by", "State"]} rows={grants} empty="No grants.">
        {(grant) => (
          <tr key={grant.id}>
            <td>{grant.reason}</td>
            <td>{formatUtc(grant.startsAt)}</td>
            <td>{grant.endsAt ? formatUtc(grant.endsAt) : "until revoked"}</td>
            <td>{grant.createdBy ?? "—"}</td>
            <td>
              {grant.revokedAt ? (
                `Revoked ${formatUtc(grant.revokedAt)}`
              ) : grant.active ? (
                <ActionButton action={revokeGrantAction} fields={{ grantId: grant.id }} label="Revoke" pendingLabel="Revoking…" ariaLabel={`Revoke the grant “${grant.reason}”`} />
              ) : (
                "Ended"
              )}
            </td>
          </tr>
        )}
      </DataTable>
      <GrantForm userId={userId} />
    </>
  );
}
