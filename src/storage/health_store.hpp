// /ready's view of the store: reachable within the probe's time, writable, schema current.
#pragma once

#include <chrono>

#include "domain/ports/health.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

class HealthStore final : public domain::HealthPort {
 public:
  // `timeout`: the most one probe waits for the store.
  HealthStore(Database& db, std::chrono::milliseconds timeout) : db_(db), timeout_(timeout) {}
  domain::StoreStatus Probe() override;

 private:
  Database& db_;
  std::chrono::milliseconds timeout_;
};

}  // namespace evently::storage
