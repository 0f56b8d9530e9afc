import type { NextRequest } from "next/server";
import { familyRemovePostResponse } from "@/lib/reading/pages/family-pages";

export function POST(request: NextRequest) {
  return familyRemovePostResponse(request);
}
