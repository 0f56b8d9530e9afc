import "server-only";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { readerData } from "../reader-data";
import { readerForm } from "./reader-form";
import { seeOther } from "./reader-page";

/** The "Download my data" button: same site, signed in; the reader's own records as a JSON file. */
export async function dataExportResponse(request: NextRequest): Promise<Response> {
  const posted = await readerForm(request, "/account");
  if (posted instanceof Response) return posted;
  const data = await readerData(await getDb(), posted.user.id);
  if (!data) return seeOther("/account");
  return new Response(JSON.stringify(data, null, 2), {
    status: 200,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="my-data-${data.exportedAt.slice(0, 10)}.json"`,
      "cache-control": "private, no-store",
    },
  });
}
