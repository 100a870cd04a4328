-- Subscription sources (docs/sources.md): where a customer comes from in each source, where a
-- subscription was first seen, its commitment terms, and one row per pull.

-- The customer's Microsoft Entra tenant id: one customer across sources.
ALTER TABLE "customers" ADD COLUMN "tenant_id" TEXT;
CREATE UNIQUE INDEX "customers_tenant_id_key" ON "customers"("tenant_id");

-- Which source created the subscription (null: a file, the ingest API or a snapshot), so a
-- source's snapshot cancels only what that source knows; and the NCE commitment it runs under.
ALTER TABLE "subscriptions" ADD COLUMN "origin" TEXT;
ALTER TABLE "subscriptions" ADD COLUMN "term_end_date" TEXT;
ALTER TABLE "subscriptions" ADD COLUMN "auto_renew" BOOLEAN;
CREATE INDEX "subscriptions_origin_idx" ON "subscriptions"("origin");

-- A source's customer, linked to ours: a Pax8 company id, a Microsoft customer tenant id.
CREATE TABLE "customer_source_links" (
    "source" TEXT NOT NULL,
    "source_customer_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "source_name" TEXT NOT NULL,
    "tenant_id" TEXT,
    "linked_by" TEXT NOT NULL,
    "linked_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_source_links_pkey" PRIMARY KEY ("source", "source_customer_id"),
    CONSTRAINT "customer_source_links_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "customer_source_links_customer_id_idx" ON "customer_source_links"("customer_id");

-- One row per pull of a source: what it read, stored and refused, and why it failed.
CREATE TABLE "source_pulls" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),
    "outcome" TEXT NOT NULL DEFAULT 'running',
    "pull_date" TEXT NOT NULL,
    "customers" INTEGER NOT NULL DEFAULT 0,
    "subscriptions" INTEGER NOT NULL DEFAULT 0,
    "events_new" INTEGER NOT NULL DEFAULT 0,
    "events_already_stored" INTEGER NOT NULL DEFAULT 0,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "findings" JSONB NOT NULL DEFAULT '[]',
    "problem" JSONB,

    CONSTRAINT "source_pulls_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "source_pulls_source_started_at_idx" ON "source_pulls"("source", "started_at");
