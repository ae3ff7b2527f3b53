// Versioned schema migrations per dialect, recorded in schema_migrations.
#pragma once

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
// Known migrations not yet applied to this store (0: the schema is current).
int PendingMigrationCount(Database& db);
// Applies what is missing, each migration in its own transaction; safe when several nodes
// start at once. Returns how many were applied (0 on a current store).
int Migrate(Database& db, domain::TimePoint now);

}  // namespace evently::storage
