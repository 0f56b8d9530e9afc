import { getDb } from "@/db/client";
import { parseAttributionQuery } from "@/lib/admin/attribution/form";
import { attributionCsvStream } from "@/lib/admin/attribution/queries";
import { requireAdmin } from "@/lib/auth/current-user";
import { csvDownload } from "@/lib/http/csv-download";

/** The period's conversions (of one source, if asked) as CSV, streamed; every field escaped against formula injection. */
export async function GET(request: Request): Promise<Response> {
  await requireAdmin();
  const { query, errors } = parseAttributionQuery(Object.fromEntries(new URL(request.url).searchParams));
  if (Object.keys(errors).length > 0) return new Response(Object.values(errors).join(" "), { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  const csv = attributionCsvStream(await getDb(), query);
  const day = new Date().toISOString().slice(0, 10);
  return csvDownload(csv, `attribution-${query.days}d-${day}.csv`);
}
