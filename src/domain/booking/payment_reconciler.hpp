// What keeps money and bookings in agreement after a crash (docs/reliability.md): payment
// attempts that no confirmation recorded within their lease are settled at the gateway, and
// authorizations of confirmed bookings are captured. Safe on every node at once (leases).
#pragma once

#include "domain/ports/payments.hpp"
#include "domain/time.hpp"

namespace evently::domain {

class PaymentReconciler {
 public:
  PaymentReconciler(PaymentLedger& ledger, PaymentGateway& gateway, const Clock& clock)
      : ledger_(ledger), gateway_(gateway), clock_(clock) {}

  // Each stale attempt: its charge (asked of the gateway by the attempt's id) is given back and
  // the attempt voided, or, with no charge, failed. One the gateway cannot answer for waits for
  // the next round. Returns how many were settled.
  int SettleStale(int limit = 100);
  // Captures the authorizations of confirmed bookings. Returns how many.
  int CaptureConfirmed(int limit = 100);

 private:
  PaymentLedger& ledger_;
  PaymentGateway& gateway_;
  const Clock& clock_;
};

}  // namespace evently::domain
