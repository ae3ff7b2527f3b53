#include "storage/migrator.hpp"

#include <string>

namespace evently::storage {

extern const Migration k_sqlite_migrations[];
extern const std::size_t k_sqlite_migration_count;
extern const Migration k_postgres_migrations[];
extern const std::size_t k_postgres_migration_count;

namespace {

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
constexpr Statement kSelectSchemaVersion{"select_schema_version",
                                         "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"};
constexpr Statement kMigrationApplied{"migration_applied",
                                      "SELECT COUNT(*) FROM schema_migrations WHERE version = $1"};
constexpr Statement kInsertMigration{
    "insert_migration",
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)"};
constexpr Statement kMigrationLock{"migration_lock", "SELECT pg_advisory_xact_lock(7460411)"};
constexpr Statement kMigrationsTableExists{
    "migrations_table_exists",
    "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'schema_migrations' "
    "AND table_schema = current_schema()"};
constexpr Statement kMigrationsTableExistsSqlite{
    "migrations_table_exists_sqlite",
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"};

}  // namespace

std::span<const Migration> MigrationsFor(Dialect dialect) {
  if (dialect == Dialect::kSqlite) return {k_sqlite_migrations, k_sqlite_migration_count};
  return {k_postgres_migrations, k_postgres_migration_count};
}

int LatestSchemaVersion(Dialect dialect) {
  auto all = MigrationsFor(dialect);
  return all.empty() ? 0 : all.back().version;
}

int CurrentSchemaVersion(Connection& conn) {
  const Statement& exists =
      conn.dialect() == Dialect::kSqlite ? kMigrationsTableExistsSqlite : kMigrationsTableExists;
  if (conn.Exec(exists).Int(0, 0) == 0) return 0;
  return static_cast<int>(conn.Exec(kSelectSchemaVersion).Int(0, 0));
}

int CurrentSchemaVersion(Database& db) {
  int version = 0;
  db.Read([&](Connection& conn) { version = CurrentSchemaVersion(conn); });
  return version;
}

int PendingMigrationCount(Connection& conn) {
  int pending = 0;
  const Statement& exists =
      conn.dialect() == Dialect::kSqlite ? kMigrationsTableExistsSqlite : kMigrationsTableExists;
  bool has_table = conn.Exec(exists).Int(0, 0) > 0;
  for (const Migration& migration : MigrationsFor(conn.dialect())) {
    if (!has_table ||
        conn.Exec(kMigrationApplied, {std::int64_t{migration.version}}).Int(0, 0) == 0) {
      ++pending;
    }
  }
  return pending;
}

int PendingMigrationCount(Database& db) {
  int pending = 0;
  db.Read([&](Connection& conn) { pending = PendingMigrationCount(conn); });
  return pending;
}

int Migrate(Database& db, domain::TimePoint now, int up_to) {
  int applied = 0;
  for (const Migration& migration : MigrationsFor(db.dialect())) {
    if (migration.version > up_to) break;
    // No deadline on the store's answers: a migration may rewrite a big table, and a node
    // starting beside one that migrates waits for it.
    db.WriteWithoutDeadline([&](Connection& conn) {
      if (conn.dialect() == Dialect::kPostgres) conn.Exec(kMigrationLock);
      conn.ExecScript(kCreateMigrationsTable);
      // By version, not by maximum: a migration merged late with a lower number still runs.
      if (conn.Exec(kMigrationApplied, {std::int64_t{migration.version}}).Int(0, 0) > 0) return;
      conn.ExecScript(migration.sql);
      conn.Exec(kInsertMigration, {std::int64_t{migration.version}, std::string(migration.name),
                                   domain::ToEpochMillis(now)});
      ++applied;
    });
  }
  return applied;
}

}  // namespace evently::storage
