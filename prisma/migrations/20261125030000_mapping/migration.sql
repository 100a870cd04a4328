-- CreateTable
CREATE TABLE "mapping_customer_company" (
    "customer_id" TEXT NOT NULL,
    "company_id" INTEGER NOT NULL,
    "company_name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "decided_by" TEXT NOT NULL,
    "decided_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "first_uploaded_at" TIMESTAMP(3),

    CONSTRAINT "mapping_customer_company_pkey" PRIMARY KEY ("customer_id")
);

-- CreateTable
CREATE TABLE "mapping_customer_contract" (
    "id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "billing_cycle" TEXT NOT NULL,
    "company_id" INTEGER NOT NULL,
    "contract_id" INTEGER NOT NULL,
    "contract_name" TEXT NOT NULL,
    "contract_period" TEXT NOT NULL,
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "source" TEXT NOT NULL,
    "decided_by" TEXT NOT NULL,
    "decided_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "first_uploaded_at" TIMESTAMP(3),

    CONSTRAINT "mapping_customer_contract_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mapping_product_service" (
    "id" TEXT NOT NULL,
    "product_name" TEXT NOT NULL,
    "product_sku" TEXT NOT NULL DEFAULT '',
    "billing_cycle" TEXT NOT NULL DEFAULT 'any',
    "service_id" INTEGER NOT NULL,
    "service_name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "decided_by" TEXT NOT NULL,
    "decided_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "first_uploaded_at" TIMESTAMP(3),

    CONSTRAINT "mapping_product_service_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mapping_customer_product" (
    "id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "product_name" TEXT NOT NULL,
    "product_sku" TEXT NOT NULL DEFAULT '',
    "billing_cycle" TEXT NOT NULL DEFAULT 'any',
    "service_id" INTEGER NOT NULL,
    "service_name" TEXT NOT NULL,
    "contract_id" INTEGER,
    "source" TEXT NOT NULL,
    "decided_by" TEXT NOT NULL,
    "decided_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "first_uploaded_at" TIMESTAMP(3),

    CONSTRAINT "mapping_customer_product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mapping_suggestions" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "customer_id" TEXT,
    "product_name" TEXT,
    "product_sku" TEXT,
    "candidate_id" INTEGER NOT NULL,
    "candidate_name" TEXT NOT NULL,
    "confidence" DECIMAL(4,3) NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_by" TEXT,
    "decided_at" TIMESTAMP(3),

    CONSTRAINT "mapping_suggestions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "mapping_customer_company_company_id_key" ON "mapping_customer_company"("company_id");

-- CreateIndex
CREATE UNIQUE INDEX "mapping_customer_company_customer_id_company_id_key" ON "mapping_customer_company"("customer_id", "company_id");

-- CreateIndex
CREATE UNIQUE INDEX "mapping_customer_contract_contract_id_key" ON "mapping_customer_contract"("contract_id");

-- CreateIndex
CREATE UNIQUE INDEX "mapping_customer_contract_customer_id_billing_cycle_contrac_key" ON "mapping_customer_contract"("customer_id", "billing_cycle", "contract_id");

-- CreateIndex
CREATE UNIQUE INDEX "mapping_product_service_product_name_product_sku_billing_cy_key" ON "mapping_product_service"("product_name", "product_sku", "billing_cycle");

-- CreateIndex
CREATE UNIQUE INDEX "mapping_customer_product_customer_id_product_name_product_s_key" ON "mapping_customer_product"("customer_id", "product_name", "product_sku", "billing_cycle");

-- CreateIndex
CREATE INDEX "mapping_suggestions_customer_id_status_idx" ON "mapping_suggestions"("customer_id", "status");


-- ---- Written by hand: what Prisma cannot express. Each restriction of billing-semantics §3 is
-- enforced here as well as in src/mapping, so a bug or a hand-written query cannot bill twice.

-- Mappings belong to existing customers.
ALTER TABLE "mapping_customer_company" ADD CONSTRAINT "mapping_customer_company_customer_fkey"
    FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "mapping_customer_product" ADD CONSTRAINT "mapping_customer_product_customer_fkey"
    FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "mapping_suggestions" ADD CONSTRAINT "mapping_suggestions_customer_fkey"
    FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "mapping_customer_company" ADD CONSTRAINT "mapping_customer_company_source_check"
    CHECK ("source" IN ('automatic', 'manual', 'suggestion'));

-- A contract is only ever mapped for the company its customer is mapped to.
ALTER TABLE "mapping_customer_contract" ADD CONSTRAINT "mapping_customer_contract_company_fkey"
    FOREIGN KEY ("customer_id", "company_id") REFERENCES "mapping_customer_company"("customer_id", "company_id")
    ON DELETE RESTRICT ON UPDATE RESTRICT;
-- Only monthly and annual subscriptions are pushed, to monthly and yearly contracts respectively:
-- quarterly and semi-annual contracts can never be stored.
ALTER TABLE "mapping_customer_contract" ADD CONSTRAINT "mapping_customer_contract_period_check"
    CHECK (("billing_cycle" = 'monthly' AND "contract_period" = 'monthly')
        OR ("billing_cycle" = 'annual' AND "contract_period" = 'yearly'));
ALTER TABLE "mapping_customer_contract" ADD CONSTRAINT "mapping_customer_contract_source_check"
    CHECK ("source" IN ('automatic', 'manual', 'upload'));
-- One default contract per customer and billing cycle.
CREATE UNIQUE INDEX "mapping_customer_contract_one_default"
    ON "mapping_customer_contract"("customer_id", "billing_cycle") WHERE "is_default";

ALTER TABLE "mapping_product_service" ADD CONSTRAINT "mapping_product_service_cycle_check"
    CHECK ("billing_cycle" IN ('monthly', 'annual', 'any'));
ALTER TABLE "mapping_product_service" ADD CONSTRAINT "mapping_product_service_source_check"
    CHECK ("source" IN ('automatic', 'manual', 'suggestion'));
ALTER TABLE "mapping_customer_product" ADD CONSTRAINT "mapping_customer_product_cycle_check"
    CHECK ("billing_cycle" IN ('monthly', 'annual', 'any'));
ALTER TABLE "mapping_customer_product" ADD CONSTRAINT "mapping_customer_product_source_check"
    CHECK ("source" IN ('automatic', 'manual', 'suggestion'));
-- One product → one contract: a pin names a concrete cycle (a contract has one period) and must be
-- one of this customer's mapped contracts for that cycle; the unique key above allows one
-- override per customer, product and cycle.
ALTER TABLE "mapping_customer_product" ADD CONSTRAINT "mapping_customer_product_pin_cycle_check"
    CHECK ("contract_id" IS NULL OR "billing_cycle" <> 'any');
ALTER TABLE "mapping_customer_product" ADD CONSTRAINT "mapping_customer_product_pin_fkey"
    FOREIGN KEY ("customer_id", "billing_cycle", "contract_id")
    REFERENCES "mapping_customer_contract"("customer_id", "billing_cycle", "contract_id")
    ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "mapping_suggestions" ADD CONSTRAINT "mapping_suggestions_kind_check"
    CHECK (("kind" = 'company' AND "customer_id" IS NOT NULL AND "product_name" IS NULL)
        OR ("kind" = 'service' AND "product_name" IS NOT NULL));
ALTER TABLE "mapping_suggestions" ADD CONSTRAINT "mapping_suggestions_status_check"
    CHECK ("status" IN ('pending', 'confirmed', 'rejected', 'superseded'));
ALTER TABLE "mapping_suggestions" ADD CONSTRAINT "mapping_suggestions_confidence_check"
    CHECK ("confidence" >= 0 AND "confidence" <= 1);
ALTER TABLE "mapping_suggestions" ADD CONSTRAINT "mapping_suggestions_decision_check"
    CHECK (("status" = 'pending') = ("decided_by" IS NULL AND "decided_at" IS NULL));
CREATE UNIQUE INDEX "mapping_suggestions_one_pending"
    ON "mapping_suggestions"("kind", COALESCE("customer_id", ''), COALESCE("product_name", ''),
                             COALESCE("product_sku", ''), "candidate_id")
    WHERE "status" = 'pending';

-- A mapping that data was uploaded under cannot change or disappear: the old Autotask line would
-- keep billing while the new one starts. The forced path (src/mapping) sets
-- autotask_bot.mapping_force_reason for its transaction only (set_config(..., true)) after
-- recording the reason in the audit log. Bookkeeping columns may still change.
CREATE FUNCTION mapping_refuse_change_after_upload() RETURNS trigger AS $$
DECLARE
    bookkeeping TEXT[] := ARRAY['source', 'decided_by', 'decided_at', 'company_name', 'contract_name',
                                'service_name', 'first_uploaded_at'];
BEGIN
    IF OLD."first_uploaded_at" IS NULL THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF COALESCE(current_setting('autotask_bot.mapping_force_reason', true), '') <> '' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'MAPPING_LOCKED_BY_UPLOAD: % row % has uploads since %; force the change with a reason',
            TG_TABLE_NAME, to_jsonb(OLD) - bookkeeping, OLD."first_uploaded_at";
    END IF;
    IF NEW."first_uploaded_at" IS NULL
       OR (to_jsonb(NEW) - bookkeeping) IS DISTINCT FROM (to_jsonb(OLD) - bookkeeping) THEN
        RAISE EXCEPTION 'MAPPING_LOCKED_BY_UPLOAD: % row % has uploads since %; force the change with a reason',
            TG_TABLE_NAME, to_jsonb(OLD) - bookkeeping, OLD."first_uploaded_at";
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "mapping_customer_company_upload_lock" BEFORE UPDATE OR DELETE ON "mapping_customer_company"
    FOR EACH ROW EXECUTE FUNCTION mapping_refuse_change_after_upload();
CREATE TRIGGER "mapping_customer_contract_upload_lock" BEFORE UPDATE OR DELETE ON "mapping_customer_contract"
    FOR EACH ROW EXECUTE FUNCTION mapping_refuse_change_after_upload();
CREATE TRIGGER "mapping_product_service_upload_lock" BEFORE UPDATE OR DELETE ON "mapping_product_service"
    FOR EACH ROW EXECUTE FUNCTION mapping_refuse_change_after_upload();
CREATE TRIGGER "mapping_customer_product_upload_lock" BEFORE UPDATE OR DELETE ON "mapping_customer_product"
    FOR EACH ROW EXECUTE FUNCTION mapping_refuse_change_after_upload();
