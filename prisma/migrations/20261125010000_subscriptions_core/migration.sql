-- CreateTable
CREATE TABLE "customers" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "external_id" TEXT,
    "domain" TEXT,
    "cutover_date" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subscriptions" (
    "id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "product_name" TEXT NOT NULL,
    "sku" TEXT,
    "billing_cycle" TEXT NOT NULL,
    "billing_type" TEXT NOT NULL,
    "term" TEXT,
    "status" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price" DECIMAL(18,4) NOT NULL,
    "unit_cost" DECIMAL(18,4),
    "currency" CHAR(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subscription_events" (
    "id" TEXT NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "effective_date" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "quantity_before" INTEGER,
    "quantity_after" INTEGER,
    "status_before" TEXT,
    "status_after" TEXT,
    "price_before" DECIMAL(18,4),
    "price_after" DECIMAL(18,4),
    "billing_cycle_before" TEXT,
    "billing_cycle_after" TEXT,
    "source_event_id" TEXT,
    "idempotency_key" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "recorded_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subscription_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "customers_external_id_key" ON "customers"("external_id");

-- CreateIndex
CREATE INDEX "customers_name_idx" ON "customers"("name");

-- CreateIndex
CREATE INDEX "subscriptions_customer_id_idx" ON "subscriptions"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "subscription_events_idempotency_key_key" ON "subscription_events"("idempotency_key");

-- CreateIndex
CREATE INDEX "subscription_events_subscription_id_effective_date_idx" ON "subscription_events"("subscription_id", "effective_date");

-- AddForeignKey
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subscription_events" ADD CONSTRAINT "subscription_events_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "subscriptions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Values the code relies on, enforced by the database too.
ALTER TABLE "customers" ADD CONSTRAINT "customers_cutover_date_format" CHECK ("cutover_date" IS NULL OR "cutover_date" ~ '^\d{4}-\d{2}-\d{2}$');
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_status_valid" CHECK ("status" IN ('active', 'suspended', 'cancelled'));
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_billing_type_valid" CHECK ("billing_type" IN ('quantity', 'usage'));
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_quantity_not_negative" CHECK ("quantity" >= 0);
ALTER TABLE "subscription_events" ADD CONSTRAINT "subscription_events_date_format" CHECK ("effective_date" ~ '^\d{4}-\d{2}-\d{2}$');
ALTER TABLE "subscription_events" ADD CONSTRAINT "subscription_events_kind_valid" CHECK ("kind" IN ('created', 'quantity_changed', 'suspended', 'reactivated', 'price_changed', 'billing_cycle_changed', 'cancelled'));
