-- Exactly once without trusting the tenant-wide upload lock: a run has at most one live upload
-- execution (sync_runs.execution_id, taken by compare-and-set); each execution's row is locked by a
-- transaction of its own while it runs, so another executor can tell a live one from a dead one.

-- AlterTable
ALTER TABLE "sync_runs" ADD COLUMN     "execution_id" TEXT;

-- CreateTable
CREATE TABLE "upload_executions" (
    "id" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "upload_executions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "upload_executions_run_id_idx" ON "upload_executions"("run_id");

-- AddForeignKey
ALTER TABLE "upload_executions" ADD CONSTRAINT "upload_executions_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "sync_runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

