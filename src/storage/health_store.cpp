#include "storage/health_store.hpp"

#include "domain/error.hpp"
#include "storage/migrator.hpp"

namespace evently::storage {

domain::StoreStatus HealthStore::Probe() {
  domain::StoreStatus status;
  status.expected_schema_version = LatestSchemaVersion(db_.dialect());
  try {
    status.schema_version = CurrentSchemaVersion(db_);
    status.pending_migrations = PendingMigrationCount(db_);
    status.reachable = true;
  } catch (const domain::StoreUnavailable&) {
    status.reachable = false;
  } catch (const SqlError&) {
    status.reachable = false;
  }
  return status;
}

}  // namespace evently::storage
