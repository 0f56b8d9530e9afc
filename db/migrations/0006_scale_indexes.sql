CREATE TABLE "funnel_daily" (
	"day" date NOT NULL,
	"type" "funnel_event_type" NOT NULL,
	"count" bigint NOT NULL,
	CONSTRAINT "funnel_daily_day_type_pk" PRIMARY KEY("day","type")
);
--> statement-breakpoint
CREATE INDEX "articles_list_order_idx" ON "articles" USING btree (coalesce("published_at", "created_at"),"id");--> statement-breakpoint
CREATE INDEX "subscriptions_status_idx" ON "subscriptions" USING btree ("status");--> statement-breakpoint
CREATE INDEX "subscriptions_created_our_clock_idx" ON "subscriptions" USING btree ((("stripe_created" at time zone 'UTC') - "clock_offset_seconds" * interval '1 second'),"status");--> statement-breakpoint
CREATE INDEX "subscriptions_ended_our_clock_idx" ON "subscriptions" USING btree (((coalesce("ended_at", "canceled_at") at time zone 'UTC') - "clock_offset_seconds" * interval '1 second')) WHERE "subscriptions"."status" = 'canceled';--> statement-breakpoint
CREATE INDEX "subscriptions_renewing_price_idx" ON "subscriptions" USING btree ("stripe_price_id") WHERE "subscriptions"."status" = 'active' and "subscriptions"."cancel_at" is null and not "subscriptions"."cancel_at_period_end";--> statement-breakpoint
CREATE INDEX "subscriptions_paying_ending_idx" ON "subscriptions" USING btree ("status") WHERE "subscriptions"."status" = 'past_due' or ("subscriptions"."status" = 'active' and ("subscriptions"."cancel_at" is not null or "subscriptions"."cancel_at_period_end"));--> statement-breakpoint
CREATE INDEX "subscriptions_live_user_idx" ON "subscriptions" USING btree ("user_id") WHERE "subscriptions"."status" in ('trialing', 'active', 'past_due', 'unpaid');--> statement-breakpoint
CREATE INDEX "subscriptions_unlinked_idx" ON "subscriptions" USING btree ("stripe_created") WHERE "subscriptions"."user_id" is null;--> statement-breakpoint
CREATE INDEX "users_email_prefix_idx" ON "users" USING btree ("email" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "users_created_at_id_idx" ON "users" USING btree ("created_at","id");--> statement-breakpoint
-- funnel_daily follows funnel_events: each insert statement adds its counts per UTC day and kind.
CREATE FUNCTION "funnel_daily_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "funnel_daily" ("day", "type", "count")
    SELECT ("at" AT TIME ZONE 'UTC')::date, "type", sum("count") FROM "inserted" GROUP BY 1, 2
    ON CONFLICT ("day", "type") DO UPDATE SET "count" = "funnel_daily"."count" + excluded."count";
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "funnel_daily_add" AFTER INSERT ON "funnel_events" REFERENCING NEW TABLE AS "inserted" FOR EACH STATEMENT EXECUTE FUNCTION "funnel_daily_add"();--> statement-breakpoint
INSERT INTO "funnel_daily" ("day", "type", "count")
  SELECT ("at" AT TIME ZONE 'UTC')::date, "type", sum("count") FROM "funnel_events" GROUP BY 1, 2;
