// The `stripe` gateway: Stripe's REST API (PaymentIntents with manual capture, refunds), every
// call with an Idempotency-Key. A confirmation authorizes (`confirm=true`,
// `capture_method=manual`); the capture job captures once the booking is confirmed; a charge that
// lost is voided (the intent cancelled) or, once captured, refunded. The attempt's id travels as
// the create call's Idempotency-Key and in `metadata[attempt_id]`, which is how the reconciler
// finds a charge whose answer a crash lost (the search API; Stripe's search index may lag by up to
// a minute, so the payment lease must be at least that on the real service).
// tools/fake_stripe.py is a local fake of the same API shape with a durable ledger.
#pragma once

#include <chrono>
#include <string>

#include "domain/ports/payments.hpp"

namespace evently::payments {

struct StripeOptions {
  std::string api_base = "https://api.stripe.com";  // no trailing slash
  std::string secret_key;                           // sk_live_... / sk_test_...
  std::chrono::milliseconds timeout{10000};         // each call's deadline
};

class StripeGateway final : public domain::PaymentGateway {
 public:
  explicit StripeGateway(StripeOptions options);
  ~StripeGateway() override;
  StripeGateway(const StripeGateway&) = delete;
  StripeGateway& operator=(const StripeGateway&) = delete;

  std::string_view name() const override { return "stripe"; }
  domain::Result<domain::ChargeReceipt> Charge(const domain::ChargeRequest& request) override;
  domain::Status Capture(const std::string& reference, std::int64_t amount) override;
  domain::Status Refund(const std::string& reference, std::int64_t amount,
                        const std::string& key) override;
  domain::Result<std::optional<domain::ChargeReceipt>> FindCharge(
      const std::string& attempt_id) override;

  // One answer of the API (for tests of the parsing).
  struct Answer {
    long status = 0;  // 0: no answer (timeout, connection refused)
    std::string body;
  };

 private:
  Answer Call(const std::string& method, const std::string& path, const std::string& form,
              const std::string& idempotency_key) const;

  StripeOptions options_;
};

}  // namespace evently::payments
