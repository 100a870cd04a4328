-- A service suggestion is for one billing cycle of a product: a catalogue holds the same product
-- as a Monthly and as a Yearly service, and the monthly subscriptions are offered the one, the
-- annual ones the other. `note` says why a suggestion was not applied automatically.
ALTER TABLE "mapping_suggestions" ADD COLUMN "billing_cycle" TEXT NOT NULL DEFAULT 'any';
ALTER TABLE "mapping_suggestions" ADD COLUMN "note" TEXT;
ALTER TABLE "mapping_suggestions" ADD CONSTRAINT "mapping_suggestions_cycle_check"
    CHECK ("billing_cycle" IN ('monthly', 'annual', 'any'));

DROP INDEX "mapping_suggestions_one_pending";
CREATE UNIQUE INDEX "mapping_suggestions_one_pending"
    ON "mapping_suggestions"("kind", COALESCE("customer_id", ''), COALESCE("product_name", ''),
                             COALESCE("product_sku", ''), "billing_cycle", "candidate_id")
    WHERE "status" = 'pending';
