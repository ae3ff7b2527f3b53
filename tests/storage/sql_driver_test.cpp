// The SQL driver seam, on each engine: pipelined calls answer in order and see each
// other's writes; deferred writes run before anything issued after them; a failure anywhere in
// a pipeline fails the whole transaction and leaves the connection usable; SQLite checkpoints
// its WAL off the writer and cuts the WAL file back once it starts over.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "storage/sql.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "support/test_store.hpp"

namespace evently::testing {
namespace {

using storage::Call;
using storage::Connection;
using storage::Rows;
using storage::SqlError;
using storage::Statement;

constexpr Statement kInsert{"probe_insert", "INSERT INTO pipeline_probe (id, v) VALUES ($1, $2)"};
constexpr Statement kCount{"probe_count", "SELECT COUNT(*) FROM pipeline_probe"};
constexpr Statement kValue{"probe_value", "SELECT v FROM pipeline_probe WHERE id = $1"};

class PipelineTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    db_->Write([](Connection& conn) {
      conn.ExecScript("CREATE TABLE pipeline_probe (id BIGINT PRIMARY KEY, v TEXT NOT NULL)");
    });
  }

  std::int64_t Count() {
    std::int64_t n = -1;
    db_->Read([&](Connection& conn) { n = conn.Exec(kCount).Int(0, 0); });
    return n;
  }
};

TEST_F(PipelineTest, CallsAnswerInOrderAndSeeEarlierCalls) {
  std::vector<Rows> answers;
  db_->Write([&](Connection& conn) {
    answers = conn.Pipeline(std::vector<Call>{{kInsert, {std::int64_t{1}, std::string("one")}},
                                              {kInsert, {std::int64_t{2}, std::string("two")}},
                                              {kCount, {}},
                                              {kValue, {std::int64_t{2}}},
                                              {kValue, {std::int64_t{3}}}});
  });
  ASSERT_EQ(answers.size(), 5U);
  EXPECT_EQ(answers[0].affected(), 1);
  EXPECT_EQ(answers[2].Int(0, 0), 2);
  EXPECT_EQ(answers[3].Text(0, 0), "two");
  EXPECT_TRUE(answers[4].empty());
  EXPECT_EQ(Count(), 2);
}

TEST_F(PipelineTest, AFailingCallFailsTheTransactionAndTheConnectionStaysUsable) {
  db_->Write([](Connection& conn) { conn.Exec(kInsert, {std::int64_t{1}, std::string("one")}); });
  try {
    db_->Write([](Connection& conn) {
      conn.Pipeline(std::vector<Call>{{kInsert, {std::int64_t{2}, std::string("two")}},
                                      {kInsert, {std::int64_t{1}, std::string("again")}},
                                      {kInsert, {std::int64_t{3}, std::string("three")}}});
    });
    FAIL() << "a duplicate key inside the pipeline must fail the transaction";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.kind(), SqlError::Kind::kUniqueViolation);
  }
  EXPECT_EQ(Count(), 1);  // nothing of the failed transaction was kept
  // Every pooled connection still answers (none is left in the middle of a pipeline).
  for (std::int64_t id = 10; id < 20; ++id) {
    db_->Write([&](Connection& conn) {
      conn.Pipeline(std::vector<Call>{{kInsert, {id, std::string("later")}}, {kCount, {}}});
    });
  }
  EXPECT_EQ(Count(), 11);
}

TEST_F(PipelineTest, DeferredWritesRunBeforeLaterStatementsAndCommitWithTheTransaction) {
  std::int64_t seen = -1;
  db_->Write([&](Connection& conn) {
    conn.Defer(kInsert, {std::int64_t{1}, std::string("one")});
    conn.Defer(kInsert, {std::int64_t{2}, std::string("two")});
    seen = conn.Exec(kCount).Int(0, 0);
    conn.Defer(kInsert, {std::int64_t{3}, std::string("three")});  // only the COMMIT follows
  });
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(Count(), 3);
}

TEST_F(PipelineTest, ADeferredWriteThatFailsFailsItsTransaction) {
  EXPECT_THROW(db_->Write([](Connection& conn) {
    conn.Exec(kInsert, {std::int64_t{1}, std::string("one")});
    conn.Defer(kInsert, {std::int64_t{1}, std::string("duplicate")});
  }),
               SqlError);
  EXPECT_EQ(Count(), 0);
  // A transaction that runs nothing at all commits nothing and fails nothing.
  EXPECT_NO_THROW(db_->Write([](Connection&) {}));
  db_->Write([](Connection& conn) { conn.Defer(kInsert, {std::int64_t{5}, std::string("ok")}); });
  EXPECT_EQ(Count(), 1);
}

// SQLite: the WAL is copied into the database file by the store's own checkpoint thread, not by
// the committing writer, and it does happen (the file grows while nobody writes).
// A snapshot read sees the store as it was at its first statement, whatever commits meanwhile;
// a plain read's later statement sees the commit (on SQLite a plain read is a snapshot too).
TEST_F(PipelineTest, ASnapshotReadIgnoresCommitsMadeWhileItRuns) {
  db_->Write([](Connection& conn) { conn.Exec(kInsert, {std::int64_t{1}, std::string("a")}); });
  auto insert_meanwhile = [&](std::int64_t id) {
    // From another thread, so that SQLite's writer and the reader are different connections.
    std::thread writer([&] {
      db_->Write([&](Connection& conn) { conn.Exec(kInsert, {id, std::string("b")}); });
    });
    writer.join();
  };
  std::int64_t before = -1, after = -1;
  db_->ReadSnapshot([&](Connection& conn) {
    before = conn.Exec(kCount).Int(0, 0);
    insert_meanwhile(2);
    after = conn.Exec(kCount).Int(0, 0);
  });
  EXPECT_EQ(before, 1);
  EXPECT_EQ(after, 1);
  db_->Read([&](Connection& conn) {
    before = conn.Exec(kCount).Int(0, 0);
    insert_meanwhile(3);
    after = conn.Exec(kCount).Int(0, 0);
  });
  EXPECT_EQ(before, 2);
  EXPECT_EQ(after, db_->dialect() == storage::Dialect::kPostgres ? 3 : 2);
  EXPECT_EQ(Count(), 3);
}

TEST_F(PipelineTest, SqliteCheckpointsTheWalInTheBackground) {
  if (TestEngine() != "sqlite") GTEST_SKIP() << "SQLite only";
  std::filesystem::path file = url_.substr(std::string("sqlite:").size());
  auto before = std::filesystem::file_size(file);
  std::string page(4000, 'x');
  for (std::int64_t batch = 0; batch < 6; ++batch) {  // ≈ 6,000 pages, past the threshold
    db_->Write([&](Connection& conn) {
      for (std::int64_t i = 0; i < 1000; ++i) conn.Exec(kInsert, {batch * 1000 + i, page});
    });
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::filesystem::file_size(file) < before + 16'000'000 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(std::filesystem::file_size(file), before + 16'000'000);
  EXPECT_EQ(Count(), 6000);
}

// A burst of writes makes the WAL file long; once it has been copied back and starts over, the
// file is cut back to the limit instead of keeping its longest size for as long as the store runs.
TEST_F(PipelineTest, SqliteCutsTheWalFileBackOnceItStartsOver) {
  if (TestEngine() != "sqlite") GTEST_SKIP() << "SQLite only";
  std::string path = url_.substr(std::string("sqlite:").size());
  storage::DatabaseOptions options;
  options.pool_size = 1;
  options.wal_size_limit_bytes = 1 << 20;
  std::unique_ptr<storage::Database> db = storage::OpenDatabase(url_, options);
  std::string page(4000, 'x');
  for (std::int64_t batch = 0; batch < 6; ++batch) {  // ≈ 24 MB of WAL
    db->Write([&](Connection& conn) {
      for (std::int64_t i = 0; i < 1000; ++i) conn.Exec(kInsert, {batch * 1000 + i, page});
    });
  }
  std::filesystem::path wal = path + "-wal";
  ASSERT_GE(std::filesystem::file_size(wal), 16'000'000u);
  // Each small write lets the WAL start over once the background checkpoint has caught up.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::int64_t next = 6000;
  while (std::filesystem::file_size(wal) > 2'000'000u &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    db->Write([&](Connection& conn) { conn.Exec(kInsert, {next++, std::string("y")}); });
  }
  EXPECT_LE(std::filesystem::file_size(wal), 2'000'000u);
  std::int64_t n = -1;
  db->Read([&](Connection& conn) { n = conn.Exec(kCount).Int(0, 0); });
  EXPECT_EQ(n, next);
}

// The writer keeps the configured page cache; the readers keep SQLite's default.
TEST_F(PipelineTest, SqliteWriterHasTheLargerPageCache) {
  if (TestEngine() != "sqlite") GTEST_SKIP() << "SQLite only";
  constexpr Statement kCacheSize{"probe_cache_size", "PRAGMA cache_size"};
  storage::DatabaseOptions options;
  options.writer_cache_bytes = std::int64_t{48} << 20;
  std::unique_ptr<storage::Database> db = storage::OpenDatabase(url_, options);
  std::int64_t writer = 0, reader = 0;
  db->Write([&](Connection& conn) { writer = conn.Exec(kCacheSize).Int(0, 0); });
  db->Read([&](Connection& conn) { reader = conn.Exec(kCacheSize).Int(0, 0); });
  EXPECT_EQ(writer, -(48 * 1024));  // negative: KiB
  EXPECT_EQ(reader, -2000);
}

// bench/hold_store --statements: the writer's statements, counted by name once asked for.
TEST_F(PipelineTest, SqliteProfilesTheWritersStatementsByName) {
  if (TestEngine() != "sqlite") GTEST_SKIP() << "SQLite only";
  auto* sqlite = dynamic_cast<storage::SqliteDatabase*>(db_.get());
  ASSERT_NE(sqlite, nullptr);
  db_->Write([](Connection& conn) { conn.Exec(kInsert, {std::int64_t{1}, std::string("a")}); });
  sqlite->ProfileWriter();
  for (std::int64_t id = 2; id <= 4; ++id) {
    db_->Write([&](Connection& conn) { conn.Exec(kInsert, {id, std::string("b")}); });
  }
  std::vector<storage::StatementTime> profile = sqlite->WriterProfile();
  auto insert = std::find_if(profile.begin(), profile.end(),
                             [](const auto& t) { return t.name == "probe_insert"; });
  ASSERT_NE(insert, profile.end());
  EXPECT_EQ(insert->count, 3u);  // only those run after ProfileWriter
}

// A new store gets the configured page size; a store that exists keeps the one it has.
TEST_F(PipelineTest, SqliteNewStoresTakeThePageSizeAndOldOnesKeepTheirs) {
  if (TestEngine() != "sqlite") GTEST_SKIP() << "SQLite only";
  static constexpr Statement kPageSize{"probe_page_size", "PRAGMA page_size"};
  auto page_size = [](storage::Database& db) {
    std::int64_t size = 0;
    db.Read([&](Connection& conn) { size = conn.Exec(kPageSize).Int(0, 0); });
    return size;
  };
  EXPECT_EQ(page_size(*db_), 2048);  // the default, on this test's new store
  storage::DatabaseOptions options;
  options.page_size_bytes = 4096;
  std::unique_ptr<storage::Database> same = storage::OpenDatabase(url_, options);
  EXPECT_EQ(page_size(*same), 2048);
  std::string fresh = url_ + "-pages4k";
  std::unique_ptr<storage::Database> other = storage::OpenDatabase(fresh, options);
  EXPECT_EQ(page_size(*other), 4096);
  other.reset();
  std::string file = fresh.substr(std::string("sqlite:").size());
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file + suffix);
}

}  // namespace
}  // namespace evently::testing
