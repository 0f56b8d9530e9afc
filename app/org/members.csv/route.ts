import { z } from "zod";
import { getDb } from "@/db/client";
import { csvLine } from "@/lib/admin/shared/csv";
import { getCurrentUser } from "@/lib/auth/current-user";
import { monthParam } from "@/lib/organisations/form";
import { listMembers, managedOrganisation } from "@/lib/organisations/managers";
import { csvDownload } from "@/lib/http/csv-download";

const querySchema = z.object({ organisation: z.coerce.number<string>().int().positive().max(2_147_483_647) });

/** A manager's member list as CSV: address, name, how and when they joined, the month's read count. Anyone else: 404. */
export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const query = querySchema.safeParse({ organisation: params.get("organisation") ?? undefined });
  if (!query.success) return new Response("Choose an organisation.\n", { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  const user = await getCurrentUser();
  const db = await getDb();
  const org = user ? await managedOrganisation(db, user, query.data.organisation) : null;
  if (!org) return new Response("Not found.\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  const month = monthParam(params.get("month"), new Date());
  const members = await listMembers(db, org.id, month);
  const body =
    csvLine(["email", "name", "joined_via", "joined_at", `reads_${month.slice(0, 7)}`]) +
    members.map((m) => csvLine([m.email, m.name, m.via, m.joinedAt, m.reads])).join("");
  return csvDownload(body, `members-${org.id}-${month.slice(0, 7)}.csv`);
}
