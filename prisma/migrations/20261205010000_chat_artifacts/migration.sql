-- Files the bot serves at signed, expiring URLs (docs/charts.md): chart PNGs and CSV exports.
-- Expired rows are deleted when the next artifact is published.
CREATE TABLE "chat_artifacts" (
    "id" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "chat_artifacts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "chat_artifacts_expires_at_idx" ON "chat_artifacts"("expires_at");

-- The signing key when ARTIFACT_SIGNING_KEY is unset: one row, made by whichever process needs
-- it first, so the web and worker processes sign and check with the same key.
CREATE TABLE "artifact_signing_keys" (
    "id" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "artifact_signing_keys_pkey" PRIMARY KEY ("id")
);
