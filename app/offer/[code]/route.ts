import type { NextRequest } from "next/server";
import { answerUnlessDatabaseDown } from "@/lib/http/database-unavailable";
import { offerPageResponse } from "@/lib/reading/pages/offer-page";

// A string-rendered page without client script (docs/decisions/0028-reader-pages-without-client-script.md).
export async function GET(request: NextRequest, context: { params: Promise<{ code: string }> }) {
  const { code } = await context.params;
  return answerUnlessDatabaseDown(() => offerPageResponse(request, code));
}
