import { z } from "zod";
import { inviteTokenSchema } from "@/lib/organisations/invite-token";

/** The payer's invite form: one address. */
export const familyInviteSchema = z.object({
  email: z
    .string({ error: "Enter an email address" })
    .trim()
    .toLowerCase()
    .min(1, "Enter an email address")
    .max(254, "That address is too long")
    .pipe(z.email("Enter an email address like name@example.com")),
});

const userId = z.string().min(1).max(100);
const inviteId = z.coerce.number<unknown>().int().positive().max(2_147_483_647);

export const removeMemberSchema = z.object({ member: userId });
export const withdrawInviteSchema = z.object({ invite: inviteId });
export const leaveFamilySchema = z.object({ subscription: z.string().min(1).max(255) });
export const acceptFamilyInviteSchema = z.object({ token: inviteTokenSchema });
export { inviteTokenSchema as familyTokenSchema };
