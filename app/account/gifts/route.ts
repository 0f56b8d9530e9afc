import type { NextRequest } from "next/server";
import { answerUnlessDatabaseDown } from "@/lib/http/database-unavailable";
import { giftsPageResponse } from "@/lib/reading/pages/gifts-page";

// A string-rendered page without client script (docs/decisions/0028-reader-pages-without-client-script.md).
export function GET(request: NextRequest) {
  return answerUnlessDatabaseDown(() => giftsPageResponse(request));
}
