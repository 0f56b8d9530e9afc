DROP INDEX "funnel_events_at_idx";--> statement-breakpoint
CREATE INDEX "articles_list_order_idx" ON "articles" USING btree (coalesce("published_at", "created_at"),"id");--> statement-breakpoint
CREATE INDEX "funnel_events_at_type_count_idx" ON "funnel_events" USING btree ("at","type","count");--> statement-breakpoint
CREATE INDEX "subscriptions_status_idx" ON "subscriptions" USING btree ("status");--> statement-breakpoint
CREATE INDEX "subscriptions_created_our_clock_idx" ON "subscriptions" USING btree ((("stripe_created" at time zone 'UTC') - "clock_offset_seconds" * interval '1 second'));--> statement-breakpoint
CREATE INDEX "subscriptions_ended_our_clock_idx" ON "subscriptions" USING btree (((coalesce("ended_at", "canceled_at") at time zone 'UTC') - "clock_offset_seconds" * interval '1 second')) WHERE "subscriptions"."status" = 'canceled';--> statement-breakpoint
CREATE INDEX "subscriptions_renewing_price_idx" ON "subscriptions" USING btree ("stripe_price_id") WHERE "subscriptions"."status" = 'active' and "subscriptions"."cancel_at" is null and not "subscriptions"."cancel_at_period_end";--> statement-breakpoint
CREATE INDEX "subscriptions_paying_ending_idx" ON "subscriptions" USING btree ("status") WHERE "subscriptions"."status" = 'past_due' or ("subscriptions"."status" = 'active' and ("subscriptions"."cancel_at" is not null or "subscriptions"."cancel_at_period_end"));--> statement-breakpoint
CREATE INDEX "subscriptions_live_user_idx" ON "subscriptions" USING btree ("user_id") WHERE "subscriptions"."status" in ('trialing', 'active', 'past_due', 'unpaid');--> statement-breakpoint
CREATE INDEX "subscriptions_unlinked_idx" ON "subscriptions" USING btree ("stripe_created") WHERE "subscriptions"."user_id" is null;--> statement-breakpoint
CREATE INDEX "users_email_prefix_idx" ON "users" USING btree ("email" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "users_created_at_id_idx" ON "users" USING btree ("created_at","id");