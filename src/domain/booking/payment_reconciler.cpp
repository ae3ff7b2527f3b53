#include "domain/booking/payment_reconciler.hpp"

#include <chrono>

namespace evently::domain {
namespace {

constexpr auto kLease = std::chrono::seconds(60);

}  // namespace

int PaymentReconciler::SettleStale(int limit) {
  int settled = 0;
  for (const PaymentAttempt& attempt : ledger_.ClaimStale(clock_.Now(), kLease, limit)) {
    Result<std::optional<ChargeReceipt>> found = gateway_.FindCharge(attempt.id);
    if (!found.ok()) continue;  // the gateway cannot say: the lease brings it back later
    bool done = found.value() ? ledger_.RecordLost(attempt, *found.value(), clock_.Now())
                              : ledger_.Fail(attempt.id, clock_.Now());
    if (done) ++settled;
  }
  return settled;
}

int PaymentReconciler::CaptureConfirmed(int limit) {
  int captured = 0;
  for (const auto& payment : ledger_.ClaimUncaptured(clock_.Now(), kLease, limit)) {
    if (gateway_.Capture(payment.reference, payment.amount).ok()) {
      ledger_.MarkCaptured(payment.payment_id, clock_.Now());
      ++captured;
    }
  }
  return captured;
}

}  // namespace evently::domain
