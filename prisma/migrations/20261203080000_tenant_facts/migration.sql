-- What `verify-tenant` learned about an Autotask database: one row per behaviour, per database.
CREATE TABLE "tenant_facts" (
    "database_key" TEXT NOT NULL,
    "behaviour" TEXT NOT NULL,
    "expected" TEXT NOT NULL,
    "observed" TEXT NOT NULL,
    "holds" BOOLEAN,
    "source" TEXT NOT NULL,
    "checked_at" TIMESTAMP(3) NOT NULL,
    "checked_by" TEXT NOT NULL,

    CONSTRAINT "tenant_facts_pkey" PRIMARY KEY ("database_key", "behaviour")
);
