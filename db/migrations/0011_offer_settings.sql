ALTER TABLE "offers" ADD COLUMN "promotion_code_active" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "site_settings" ADD COLUMN "checkout_accepts_codes" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "site_settings" ADD COLUMN "featured_offer_id" integer;--> statement-breakpoint
ALTER TABLE "site_settings" ADD CONSTRAINT "site_settings_featured_offer_id_offers_id_fk" FOREIGN KEY ("featured_offer_id") REFERENCES "public"."offers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- hand-written: codes already pushed were made active in Stripe; the reconciler turns them off unless the new setting says otherwise.
UPDATE "offers" SET "promotion_code_active" = true WHERE "stripe_promotion_code_id" IS NOT NULL AND "archived_at" IS NULL;
