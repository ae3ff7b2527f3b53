// What operations endpoints ask of the store.
#pragma once

namespace evently::domain {

// Why a store that answers would still refuse writes.
enum class WriteFault { kNone, kReadOnly, kOutOfSpace };

struct StoreStatus {
  bool reachable = false;
  WriteFault write_fault = WriteFault::kNone;
  int schema_version = 0;
  int expected_schema_version = 0;
  int pending_migrations = 0;
  bool ready() const {
    return reachable && write_fault == WriteFault::kNone && pending_migrations == 0;
  }
};

class HealthPort {
 public:
  virtual ~HealthPort() = default;
  virtual StoreStatus Probe() = 0;
};

}  // namespace evently::domain
