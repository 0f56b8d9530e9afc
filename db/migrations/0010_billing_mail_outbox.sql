CREATE TYPE "public"."billing_mail_state" AS ENUM('pending', 'sending', 'sent', 'failed', 'unknown');--> statement-breakpoint
ALTER TABLE "billing_mails" ALTER COLUMN "sent_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "billing_mails" ALTER COLUMN "sent_at" DROP NOT NULL;--> statement-breakpoint
-- hand-written: rows from before the outbox were sent in their webhook's transaction, so they are `sent` (then the default becomes `pending`).
ALTER TABLE "billing_mails" ADD COLUMN "state" "billing_mail_state" DEFAULT 'sent' NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_mails" ALTER COLUMN "state" SET DEFAULT 'pending';--> statement-breakpoint
ALTER TABLE "billing_mails" ADD COLUMN "content" jsonb;--> statement-breakpoint
ALTER TABLE "billing_mails" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_mails" ADD COLUMN "next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_mails" ADD COLUMN "claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "billing_mails" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "billing_mails" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- hand-written: an old row was created (and sent) at its sent_at, in one attempt.
UPDATE "billing_mails" SET "created_at" = "sent_at", "attempts" = 1 WHERE "sent_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "billing_mails_due_idx" ON "billing_mails" USING btree ("next_attempt_at") WHERE "billing_mails"."state" in ('pending', 'sending');--> statement-breakpoint
ALTER TABLE "billing_mails" ADD CONSTRAINT "billing_mails_content" CHECK ("billing_mails"."state" = 'sent' or "billing_mails"."content" is not null);