ALTER TABLE "stripe_customers" DROP CONSTRAINT "stripe_customers_user_id_unique";--> statement-breakpoint
ALTER TABLE "checkout_attempts" ADD COLUMN "created_user_id" text;--> statement-breakpoint
ALTER TABLE "checkout_attempts" ADD COLUMN "owner_user_id" text;--> statement-breakpoint
ALTER TABLE "checkout_attempts" ADD COLUMN "mailed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "checkout_attempts" ADD CONSTRAINT "checkout_attempts_created_user_id_users_id_fk" FOREIGN KEY ("created_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkout_attempts" ADD CONSTRAINT "checkout_attempts_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stripe_customers_user_id_idx" ON "stripe_customers" USING btree ("user_id");--> statement-breakpoint
-- One address, one identity: accounts whose emails differ only in case are merged into one
-- (an admin first, then a verified one, then the oldest), which keeps everything the others owned.
CREATE TEMP TABLE "user_merges" ON COMMIT DROP AS
  SELECT "id" AS "loser", first_value("id") OVER (
    PARTITION BY lower("email")
    ORDER BY ("role" = 'admin') DESC, ("email_verified" IS NOT NULL) DESC, "created_at", "id"
  ) AS "survivor"
  FROM "users" WHERE "email" IS NOT NULL;--> statement-breakpoint
DELETE FROM "user_merges" WHERE "loser" = "survivor";--> statement-breakpoint
UPDATE "accounts" SET "user_id" = m."survivor" FROM "user_merges" m WHERE "accounts"."user_id" = m."loser";--> statement-breakpoint
UPDATE "sessions" SET "user_id" = m."survivor" FROM "user_merges" m WHERE "sessions"."user_id" = m."loser";--> statement-breakpoint
-- A server meter per account: the survivor keeps its own, or takes the first of the others.
DELETE FROM "user_meters" um USING "user_merges" m
  WHERE um."user_id" = m."loser"
    AND (EXISTS (SELECT 1 FROM "user_meters" s WHERE s."user_id" = m."survivor")
      OR EXISTS (SELECT 1 FROM "user_merges" m2 JOIN "user_meters" u2 ON u2."user_id" = m2."loser"
                 WHERE m2."survivor" = m."survivor" AND m2."loser" < m."loser"));--> statement-breakpoint
UPDATE "user_meters" SET "user_id" = m."survivor" FROM "user_merges" m WHERE "user_meters"."user_id" = m."loser";--> statement-breakpoint
UPDATE "stripe_customers" SET "user_id" = m."survivor" FROM "user_merges" m WHERE "stripe_customers"."user_id" = m."loser";--> statement-breakpoint
UPDATE "subscriptions" SET "user_id" = m."survivor" FROM "user_merges" m WHERE "subscriptions"."user_id" = m."loser";--> statement-breakpoint
UPDATE "checkout_attempts" SET "user_id" = m."survivor" FROM "user_merges" m WHERE "checkout_attempts"."user_id" = m."loser";--> statement-breakpoint
UPDATE "grants" SET "user_id" = m."survivor" FROM "user_merges" m WHERE "grants"."user_id" = m."loser";--> statement-breakpoint
UPDATE "grants" SET "created_by" = m."survivor" FROM "user_merges" m WHERE "grants"."created_by" = m."loser";--> statement-breakpoint
UPDATE "grants" SET "revoked_by" = m."survivor" FROM "user_merges" m WHERE "grants"."revoked_by" = m."loser";--> statement-breakpoint
UPDATE "audit_log" SET "actor_user_id" = m."survivor" FROM "user_merges" m WHERE "audit_log"."actor_user_id" = m."loser";--> statement-breakpoint
UPDATE "funnel_events" SET "user_id" = m."survivor" FROM "user_merges" m WHERE "funnel_events"."user_id" = m."loser";--> statement-breakpoint
DELETE FROM "users" USING "user_merges" m WHERE "users"."id" = m."loser";--> statement-breakpoint
UPDATE "users" SET "email" = lower("email") WHERE "email" <> lower("email");--> statement-breakpoint
UPDATE "verification_tokens" SET "identifier" = lower("identifier") WHERE "identifier" <> lower("identifier");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_email_lower_case" CHECK ("users"."email" = lower("users"."email"));