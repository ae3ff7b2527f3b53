// The built-in `sandbox` gateway of CONTRACT.md: deterministic tokens and test cards.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "domain/ports/payments.hpp"

namespace evently::payments {

class SandboxGateway final : public domain::PaymentGateway {
 public:
  std::string_view name() const override { return "sandbox"; }
  // One step: a sandbox charge is captured at once. A repeated attempt is the same charge.
  domain::Result<domain::ChargeReceipt> Charge(const domain::ChargeRequest& request) override;
  domain::Status Capture(const std::string& reference, std::int64_t amount) override;
  domain::Status Refund(const std::string& reference, std::int64_t amount,
                        const std::string& key) override;
  // What this process charged (the sandbox keeps no ledger across restarts: docs/reliability.md).
  domain::Result<std::optional<domain::ChargeReceipt>> FindCharge(
      const std::string& attempt_id) override;

  // For tests: make the next `n` refunds fail as an outage would.
  void FailNextRefunds(int n) { failing_refunds_ = n; }
  std::size_t refunded_count() const;

 private:
  std::atomic<int> failing_refunds_{0};
  mutable std::mutex mu_;
  std::set<std::string> refunded_;
  std::map<std::string, std::string> charges_;  // attempt id -> reference
};

bool LuhnValid(std::string_view digits);

}  // namespace evently::payments
