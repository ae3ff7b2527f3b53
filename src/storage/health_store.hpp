#pragma once

#include "domain/ports/health.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

class HealthStore final : public domain::HealthPort {
 public:
  explicit HealthStore(Database& db) : db_(db) {}
  domain::StoreStatus Probe() override;

 private:
  Database& db_;
};

}  // namespace evently::storage
