-- AlterTable
ALTER TABLE "subscription_events" ADD COLUMN     "seq" BIGSERIAL NOT NULL;

-- CreateTable
CREATE TABLE "subscription_snapshots" (
    "id" TEXT NOT NULL,
    "snapshot_date" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "subscription_count" INTEGER NOT NULL,
    "event_count" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subscription_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "subscription_snapshots_snapshot_date_idx" ON "subscription_snapshots"("snapshot_date");

-- CreateIndex
CREATE UNIQUE INDEX "subscription_events_seq_key" ON "subscription_events"("seq");


-- Values the code relies on, enforced by the database too.
ALTER TABLE "subscription_snapshots" ADD CONSTRAINT "subscription_snapshots_date_format" CHECK ("snapshot_date" ~ '^\d{4}-\d{2}-\d{2}$');
