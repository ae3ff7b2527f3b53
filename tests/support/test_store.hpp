// A fresh, migrated store for each test, on the engine named by EVENTLY_TEST_ENGINE:
// sqlite (a temporary file) or postgres (a new schema in EVENTLY_TEST_PG_URL's database).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "domain/ids.hpp"
#include "storage/migrator.hpp"
#include "storage/sql.hpp"

namespace evently::testing {

inline std::string TestEngine() {
  const char* engine = std::getenv("EVENTLY_TEST_ENGINE");
  return engine ? engine : "sqlite";
}

// A database URL for a brand-new, empty store.
inline std::string FreshStoreUrl() {
  static int counter = 0;
  std::string unique = domain::RandomHex(6) + "_" + std::to_string(++counter);
  if (TestEngine() == "postgres") {
    const char* base = std::getenv("EVENTLY_TEST_PG_URL");
    if (!base) return {};
    std::string schema = "t_" + unique;
    auto admin = storage::OpenDatabase(base, {1, 5000});
    admin->Write([&](storage::Connection& c) { c.ExecScript("CREATE SCHEMA " + schema); });
    std::string url = base;
    url += (url.find('?') == std::string::npos ? "?" : "&");
    url += "options=-csearch_path%3D" + schema;
    return url;
  }
  auto dir = std::filesystem::temp_directory_path() / "evently-tests";
  std::filesystem::create_directories(dir);
  return "sqlite:" + (dir / ("store_" + unique + ".db")).string();
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = FreshStoreUrl();
    if (url_.empty()) {
      if (std::getenv("CI")) FAIL() << "EVENTLY_TEST_PG_URL is required for postgres in CI";
      GTEST_SKIP() << "EVENTLY_TEST_PG_URL not set";
    }
    db_ = storage::OpenDatabase(url_, {4, 5000});
    storage::Migrate(*db_, domain::SystemClock().Now());
  }

  std::string url_;
  std::unique_ptr<storage::Database> db_;
};

}  // namespace evently::testing
