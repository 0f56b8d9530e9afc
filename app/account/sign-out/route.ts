import type { NextRequest } from "next/server";
import { signOutResponse } from "@/lib/reading/pages/account-forms";

// A plain HTML form post from the account page: the handler checks origin, session and input itself.
export function POST(request: NextRequest) {
  return signOutResponse(request);
}
