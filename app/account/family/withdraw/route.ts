import type { NextRequest } from "next/server";
import { familyWithdrawPostResponse } from "@/lib/reading/pages/family-pages";

export function POST(request: NextRequest) {
  return familyWithdrawPostResponse(request);
}
