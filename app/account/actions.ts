"use server";

import { redirect } from "next/navigation";
import { signOut } from "@/lib/auth/auth";
import { requireUser } from "@/lib/auth/current-user";
import { deleteAllSessions } from "@/lib/auth/sessions";

/** Ends this session only. */
export async function signOutHere(): Promise<void> {
  await requireUser("/account");
  await signOut({ redirectTo: "/" });
}

/** Ends every session of the caller (never anyone else's: the user comes from the session). */
export async function signOutEverywhere(): Promise<void> {
  const user = await requireUser("/account");
  await deleteAllSessions(user.id);
  redirect("/signin?signedOut=everywhere");
}
