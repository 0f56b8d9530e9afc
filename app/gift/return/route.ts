import type { NextRequest } from "next/server";
import { answerUnlessDatabaseDown } from "@/lib/http/database-unavailable";
import { giftReturnResponse } from "@/lib/reading/pages/gift-subscription-pages";

export function GET(request: NextRequest) {
  return answerUnlessDatabaseDown(() => giftReturnResponse(request));
}
