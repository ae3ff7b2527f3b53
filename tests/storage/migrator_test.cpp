#include "storage/migrator.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "support/test_store.hpp"

namespace evently::testing {
namespace {

using storage::Connection;
using storage::Statement;

TEST_F(StoreTest, MigrationsReachTheLatestVersionAndASecondRunIsANoOp) {
  EXPECT_EQ(storage::CurrentSchemaVersion(*db_), storage::LatestSchemaVersion(db_->dialect()));
  EXPECT_EQ(storage::Migrate(*db_, domain::SystemClock().Now()), 0);
}

TEST_F(StoreTest, NodesStartingTogetherApplyEachMigrationOnce) {
  std::string url = FreshStoreUrl();
  std::vector<int> applied(4, 0);
  std::vector<std::thread> nodes;
  for (int i = 0; i < 4; ++i) {
    nodes.emplace_back([&, i] {
      auto db = storage::OpenDatabase(url, {1, 10000});
      applied[i] = storage::Migrate(*db, domain::SystemClock().Now());
    });
  }
  for (auto& t : nodes) t.join();
  auto db = storage::OpenDatabase(url, {1, 5000});
  int total = 0;
  for (int n : applied) total += n;
  EXPECT_EQ(total, static_cast<int>(storage::MigrationsFor(db->dialect()).size()));
  EXPECT_EQ(storage::CurrentSchemaVersion(*db), storage::LatestSchemaVersion(db->dialect()));
}

constexpr Statement kInsertVenue{
    "test_insert_venue",
    "INSERT INTO venues (id, name, capacity, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)"};
constexpr Statement kSelectVenue{"test_select_venue",
                                 "SELECT name, capacity, city FROM venues WHERE id = $1"};

TEST_F(StoreTest, SameStatementTextRunsOnBothEnginesWithTypedParameters) {
  std::string id = domain::NewUuidV7(domain::SystemClock().Now());
  db_->Write([&](Connection& c) {
    c.Exec(kInsertVenue, {id, std::string("Arena \"Ü\""), std::int64_t{500}, std::int64_t{1}});
  });
  db_->Read([&](Connection& c) {
    auto rows = c.Exec(kSelectVenue, {id});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows.Text(0, 0), "Arena \"Ü\"");
    EXPECT_EQ(rows.Int(0, 1), 500);
    EXPECT_EQ(rows.Text(0, 2), "");
  });
}

TEST_F(StoreTest, AFailedTransactionLeavesNothingBehind) {
  std::string id = domain::NewUuidV7(domain::SystemClock().Now());
  EXPECT_THROW(db_->Write([&](Connection& c) {
    c.Exec(kInsertVenue, {id, std::string("Half"), std::int64_t{1}, std::int64_t{1}});
    throw std::runtime_error("handler failed after the first write");
  }),
               std::runtime_error);
  db_->Read([&](Connection& c) { EXPECT_TRUE(c.Exec(kSelectVenue, {id}).empty()); });
}

TEST_F(StoreTest, AWriteSlippedIntoAReadIsRefusedAndWritesNothing) {
  std::string id = domain::NewUuidV7(domain::SystemClock().Now());
  EXPECT_THROW(db_->Read([&](Connection& c) {
    c.Exec(kInsertVenue, {id, std::string("Sneaked"), std::int64_t{1}, std::int64_t{1}});
  }),
               storage::SqlError);
  EXPECT_THROW(db_->ReadSnapshot([&](Connection& c) {
    c.Exec(kInsertVenue, {id, std::string("Sneaked"), std::int64_t{1}, std::int64_t{1}});
  }),
               storage::SqlError);
  db_->Read([&](Connection& c) { EXPECT_TRUE(c.Exec(kSelectVenue, {id}).empty()); });
  // The connections that refused it still write through Write.
  db_->Write([&](Connection& c) {
    c.Exec(kInsertVenue, {id, std::string("Written"), std::int64_t{1}, std::int64_t{1}});
  });
  EXPECT_EQ(db_->ReadOne(kSelectVenue, {id}).Text(0, 0), "Written");
}

TEST_F(StoreTest, DuplicateKeysAreReportedAsUniqueViolations) {
  std::string id = domain::NewUuidV7(domain::SystemClock().Now());
  db_->Write([&](Connection& c) {
    c.Exec(kInsertVenue, {id, std::string("One"), std::int64_t{1}, std::int64_t{1}});
  });
  try {
    db_->Write([&](Connection& c) {
      c.Exec(kInsertVenue, {id, std::string("Two"), std::int64_t{1}, std::int64_t{1}});
    });
    FAIL() << "expected a unique violation";
  } catch (const storage::SqlError& e) {
    EXPECT_EQ(e.kind(), storage::SqlError::Kind::kUniqueViolation);
  }
}

}  // namespace
}  // namespace evently::testing
