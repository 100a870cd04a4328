-- AlterTable
ALTER TABLE "chat_deliveries" ADD COLUMN     "handled_at" TIMESTAMP(3);

-- Every key claimed before this migration was claimed and handled in one step.
UPDATE "chat_deliveries" SET "handled_at" = "received_at";
