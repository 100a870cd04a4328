-- CreateTable
CREATE TABLE "sync_runs" (
    "id" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "plan_hash" TEXT NOT NULL,
    "plan" JSONB NOT NULL DEFAULT '{}',
    "has_errors" BOOLEAN NOT NULL DEFAULT false,
    "created_by" TEXT NOT NULL,
    "requested_by" TEXT,
    "requested_at" TIMESTAMP(3),
    "expires_at" TIMESTAMP(3),
    "decided_by" TEXT,
    "decided_at" TIMESTAMP(3),
    "upload_started_at" TIMESTAMP(3),
    "upload_finished_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "sync_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_decisions" (
    "id" BIGSERIAL NOT NULL,
    "run_id" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "actor_name" TEXT,
    "reason" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sync_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_operations" (
    "id" BIGSERIAL NOT NULL,
    "run_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "product_name" TEXT NOT NULL,
    "line_key" TEXT NOT NULL,
    "contract_id" INTEGER NOT NULL,
    "service_id" INTEGER NOT NULL,
    "effective_date" TEXT NOT NULL,
    "unit_change" INTEGER NOT NULL,
    "units_after" INTEGER NOT NULL,
    "unit_price" DECIMAL(18,4) NOT NULL,
    "billing_cycle" TEXT NOT NULL,
    "line" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'planned',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "contract_service_id" INTEGER,
    "sent_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "sync_operations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_lines" (
    "line_key" TEXT NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "contract_id" INTEGER NOT NULL,
    "service_id" INTEGER NOT NULL,
    "contract_service_id" INTEGER NOT NULL,
    "recorded_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sync_lines_pkey" PRIMARY KEY ("line_key")
);

-- CreateIndex
CREATE INDEX "sync_runs_state_idx" ON "sync_runs"("state");

-- CreateIndex
CREATE UNIQUE INDEX "sync_decisions_run_id_key" ON "sync_decisions"("run_id");

-- CreateIndex
CREATE INDEX "sync_operations_customer_id_status_idx" ON "sync_operations"("customer_id", "status");

-- CreateIndex
CREATE INDEX "sync_operations_key_idx" ON "sync_operations"("key");

-- CreateIndex
CREATE UNIQUE INDEX "sync_operations_run_id_key_key" ON "sync_operations"("run_id", "key");

-- CreateIndex
CREATE INDEX "sync_lines_customer_id_idx" ON "sync_lines"("customer_id");

-- AddForeignKey
ALTER TABLE "sync_decisions" ADD CONSTRAINT "sync_decisions_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "sync_runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_operations" ADD CONSTRAINT "sync_operations_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "sync_runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Exactly once: at most one ledger row per operation key may be sending or done, across all
-- runs. A second run can never send what another run sent (or is sending).
CREATE UNIQUE INDEX "sync_operations_key_in_flight_or_done" ON "sync_operations"("key") WHERE "status" IN ('sending', 'done');

-- Values the code relies on, enforced by the database too.
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_state_valid" CHECK ("state" IN ('validating', 'validated_clean', 'validated_with_errors', 'upload_requested', 'approved', 'rejected', 'expired', 'uploading', 'succeeded', 'partially_failed', 'failed'));
ALTER TABLE "sync_decisions" ADD CONSTRAINT "sync_decisions_decision_valid" CHECK ("decision" IN ('approved', 'rejected'));
ALTER TABLE "sync_operations" ADD CONSTRAINT "sync_operations_status_valid" CHECK ("status" IN ('planned', 'sending', 'done', 'failed', 'skipped'));
ALTER TABLE "sync_operations" ADD CONSTRAINT "sync_operations_kind_valid" CHECK ("kind" IN ('create_line', 'adjust'));
ALTER TABLE "sync_operations" ADD CONSTRAINT "sync_operations_date_format" CHECK ("effective_date" ~ '^\d{4}-\d{2}-\d{2}$');
