// The payment gateway seam: charges and refunds (the built-in one is the sandbox).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/error.hpp"

namespace evently::domain {

struct CardDetails {
  std::string number;
  std::int64_t exp_month = 0;
  std::int64_t exp_year = 0;
  std::string cvc;
};

struct PaymentDetails {
  std::string method;                // "credit_card", "debit_card"
  std::optional<std::string> token;  // a gateway token, e.g. "tok_visa"
  std::optional<CardDetails> card;   // or raw card fields (sandbox only)
};

struct ChargeRequest {
  std::string booking_id;  // also the gateway's idempotency reference
  std::int64_t amount = 0;
  std::string currency;
  PaymentDetails details;
};

struct ChargeReceipt {
  std::string reference;
};

class PaymentGateway {
 public:
  virtual ~PaymentGateway() = default;
  virtual std::string_view name() const = 0;
  // VALIDATION_ERROR for malformed details, PAYMENT_FAILED for a decline.
  virtual Result<ChargeReceipt> Charge(const ChargeRequest& request) = 0;
  virtual Status Refund(const std::string& reference, std::int64_t amount) = 0;
};

}  // namespace evently::domain
