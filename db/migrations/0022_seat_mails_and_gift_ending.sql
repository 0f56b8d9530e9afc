ALTER TABLE "organisations" ADD COLUMN "seat_mail_level" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "seat_mails" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "grants_gift_ends_idx" ON "grants" USING btree ("ends_at") WHERE "grants"."gift_subscription_id" is not null and "grants"."revoked_at" is null;