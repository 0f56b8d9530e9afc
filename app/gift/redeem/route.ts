import type { NextRequest } from "next/server";
import { answerUnlessDatabaseDown } from "@/lib/http/database-unavailable";
import { redeemPageResponse, redeemPostResponse } from "@/lib/reading/pages/gift-subscription-pages";

export function GET(request: NextRequest) {
  return answerUnlessDatabaseDown(() => redeemPageResponse(request));
}

export function POST(request: NextRequest) {
  return redeemPostResponse(request);
}
