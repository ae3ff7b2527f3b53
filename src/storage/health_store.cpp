#include "storage/health_store.hpp"

#include "domain/error.hpp"
#include "storage/migrator.hpp"

namespace evently::storage {

domain::StoreStatus HealthStore::Probe() {
  domain::StoreStatus status;
  status.expected_schema_version = LatestSchemaVersion(db_.dialect());
  try {
    db_.Probe(timeout_, [&](Connection& conn) {
      status.schema_version = CurrentSchemaVersion(conn);
      status.pending_migrations = PendingMigrationCount(conn);
    });
    status.reachable = true;
  } catch (const domain::StoreUnavailable&) {
    status.reachable = false;
  } catch (const SqlError&) {
    status.reachable = false;
  }
  if (status.reachable) status.write_fault = db_.Writable();
  return status;
}

}  // namespace evently::storage
