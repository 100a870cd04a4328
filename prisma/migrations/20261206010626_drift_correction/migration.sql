-- AlterTable
ALTER TABLE "sync_operations" ADD COLUMN     "adopts" JSONB;
