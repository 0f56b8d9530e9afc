CREATE TYPE "public"."gift_conversion_kind" AS ENUM('registered', 'subscribed');--> statement-breakpoint
CREATE TYPE "public"."gift_kind" AS ENUM('subscriber', 'publisher');--> statement-breakpoint
CREATE TABLE "gift_conversions" (
	"gift_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"kind" "gift_conversion_kind" NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gift_conversions_gift_id_user_id_kind_pk" PRIMARY KEY("gift_id","user_id","kind")
);
--> statement-breakpoint
CREATE TABLE "gift_opens" (
	"gift_id" integer NOT NULL,
	"browser_hash" text NOT NULL,
	"admitted" boolean NOT NULL,
	"referrer_host" text,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gift_opens_gift_id_browser_hash_pk" PRIMARY KEY("gift_id","browser_hash")
);
--> statement-breakpoint
CREATE TABLE "gifts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gifts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"token_hash" text NOT NULL,
	"kind" "gift_kind" NOT NULL,
	"article_id" integer NOT NULL,
	"gifter_user_id" text,
	"sender_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"browsers_opened" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "gifts_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "gift_allowance" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "site_settings" ADD COLUMN "gift_valid_days" integer;--> statement-breakpoint
ALTER TABLE "site_settings" ADD COLUMN "gift_browser_limit" integer;--> statement-breakpoint
ALTER TABLE "gift_conversions" ADD CONSTRAINT "gift_conversions_gift_id_gifts_id_fk" FOREIGN KEY ("gift_id") REFERENCES "public"."gifts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gift_conversions" ADD CONSTRAINT "gift_conversions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gift_opens" ADD CONSTRAINT "gift_opens_gift_id_gifts_id_fk" FOREIGN KEY ("gift_id") REFERENCES "public"."gifts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gifts" ADD CONSTRAINT "gifts_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gifts" ADD CONSTRAINT "gifts_gifter_user_id_users_id_fk" FOREIGN KEY ("gifter_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "gifts_gifter_created_idx" ON "gifts" USING btree ("gifter_user_id","created_at");--> statement-breakpoint
CREATE INDEX "gifts_article_created_idx" ON "gifts" USING btree ("article_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "gifts_live_publisher_link_idx" ON "gifts" USING btree ("article_id") WHERE "gifts"."kind" = 'publisher' and "gifts"."revoked_at" is null;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_gift_allowance_non_negative" CHECK ("plans"."gift_allowance" >= 0);