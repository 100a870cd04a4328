-- CreateTable
CREATE TABLE "teams_conversations" (
    "conversation_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "conversation_type" TEXT NOT NULL,
    "service_url" TEXT NOT NULL,
    "reference" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "teams_conversations_pkey" PRIMARY KEY ("conversation_id")
);

