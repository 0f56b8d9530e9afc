import type { NextRequest } from "next/server";
import { answerUnlessDatabaseDown } from "@/lib/http/database-unavailable";
import { giftPageResponse, giftPostResponse } from "@/lib/reading/pages/gift-subscription-pages";

// A string-rendered page without client script, and its plain form post (docs/decisions/0028-reader-pages-without-client-script.md).
export function GET(request: NextRequest) {
  return answerUnlessDatabaseDown(() => giftPageResponse(request));
}

export function POST(request: NextRequest) {
  return giftPostResponse(request);
}
