// Versioned schema migrations per dialect, recorded in schema_migrations.
#pragma once

#include <limits>
#include <span>
#include <string_view>

#include "domain/time.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

std::span<const Migration> MigrationsFor(Dialect dialect);
int LatestSchemaVersion(Dialect dialect);
// Highest applied version, 0 for an empty store.
int CurrentSchemaVersion(Database& db);
int CurrentSchemaVersion(Connection& conn);
// Known migrations not yet applied to this store (0: the schema is current).
int PendingMigrationCount(Database& db);
int PendingMigrationCount(Connection& conn);
// Applies what is missing, each migration in its own transaction; safe when several nodes
// start at once. Returns how many were applied (0 on a current store). `up_to` stops at that
// version (tests of a migration's backfill build the store as it was before it).
int Migrate(Database& db, domain::TimePoint now, int up_to = std::numeric_limits<int>::max());

}  // namespace evently::storage
