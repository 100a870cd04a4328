-- CreateTable
CREATE TABLE "chat_role_grants" (
    "identity" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "granted_by" TEXT NOT NULL,
    "granted_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_role_grants_pkey" PRIMARY KEY ("identity","role")
);

-- CreateTable
CREATE TABLE "chat_deliveries" (
    "key" TEXT NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_deliveries_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "chat_posted_cards" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_posted_cards_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat_action_refs" (
    "key" TEXT NOT NULL,
    "command" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_action_refs_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "chat_deliveries_received_at_idx" ON "chat_deliveries"("received_at");

-- CreateIndex
CREATE UNIQUE INDEX "chat_posted_cards_kind_run_id_platform_key" ON "chat_posted_cards"("kind", "run_id", "platform");

