// What operations endpoints ask of the store.
#pragma once

namespace evently::domain {

struct StoreStatus {
  bool reachable = false;
  int schema_version = 0;
  int expected_schema_version = 0;
  int pending_migrations = 0;
  bool ready() const { return reachable && pending_migrations == 0; }
};

class HealthPort {
 public:
  virtual ~HealthPort() = default;
  virtual StoreStatus Probe() = 0;
};

}  // namespace evently::domain
