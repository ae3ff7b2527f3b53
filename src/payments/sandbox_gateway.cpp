#include "payments/sandbox_gateway.hpp"

#include <algorithm>

#include "domain/ids.hpp"

namespace evently::payments {

using domain::ErrorCode;

namespace {

constexpr std::string_view kDeclinedToken = "tok_chargeDeclined";
constexpr std::string_view kSpecToken = "stripe_token_123";
constexpr std::string_view kSuccessCard = "4242424242424242";
constexpr std::string_view kDeclineCard = "4000000000000002";

domain::Error Declined(std::string reason) {
  domain::Error error = domain::MakeError(ErrorCode::kPaymentFailed, "Payment was declined");
  error.details.strings = {{"reason", std::move(reason)}};
  return error;
}

}  // namespace

bool LuhnValid(std::string_view digits) {
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return !digits.empty() && sum % 10 == 0;
}

domain::Result<domain::ChargeReceipt> SandboxGateway::Charge(const domain::ChargeRequest& request) {
  const domain::PaymentDetails& d = request.details;
  if (d.token) {
    if (*d.token == kDeclinedToken) return Declined("card_declined");
    if (!d.token->starts_with("tok_") && *d.token != kSpecToken) {
      return domain::ValidationError("payment_details.token", "is not a sandbox token");
    }
  } else if (d.card) {
    const std::string& number = d.card->number;
    std::vector<domain::FieldIssue> issues;
    bool digits = !number.empty() && std::all_of(number.begin(), number.end(),
                                                 [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || number.size() < 12 || number.size() > 19 || !LuhnValid(number)) {
      issues.push_back({"payment_details.number", "is not a valid card number"});
    }
    if (d.card->exp_month < 1 || d.card->exp_month > 12) {
      issues.push_back({"payment_details.exp_month", "must be 1 to 12"});
    }
    if (d.card->exp_year < 2000 || d.card->exp_year > 2100) {
      issues.push_back({"payment_details.exp_year", "must be a four-digit year"});
    }
    const std::string& cvc = d.card->cvc;
    if (cvc.size() < 3 || cvc.size() > 4 ||
        !std::all_of(cvc.begin(), cvc.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      issues.push_back({"payment_details.cvc", "must be 3 or 4 digits"});
    }
    if (!issues.empty()) return domain::ValidationError(std::move(issues));
    if (number == kDeclineCard) return Declined("card_declined");
    if (number != kSuccessCard) return Declined("card_not_supported_in_sandbox");
  } else {
    return domain::ValidationError("payment_details", "needs a token or card fields");
  }
  if (request.amount <= 0) return domain::ValidationError("amount", "must be positive");
  std::lock_guard lock(mu_);
  if (charges_.size() >= 100000) charges_.clear();  // bounded: a reconciler asks within minutes
  auto [it, _] = charges_.try_emplace(request.attempt_id, "ch_sandbox_" + domain::RandomHex(12));
  return domain::ChargeReceipt{it->second, /*captured=*/true};
}

domain::Status SandboxGateway::Capture(const std::string& /*reference*/, std::int64_t /*amount*/) {
  return domain::Ok();  // captured with the charge
}

domain::Result<std::optional<domain::ChargeReceipt>> SandboxGateway::FindCharge(
    const std::string& attempt_id) {
  std::lock_guard lock(mu_);
  auto it = charges_.find(attempt_id);
  if (it == charges_.end()) return std::optional<domain::ChargeReceipt>();
  return std::optional<domain::ChargeReceipt>(domain::ChargeReceipt{it->second, true});
}

domain::Status SandboxGateway::Refund(const std::string& reference, std::int64_t amount,
                                      const std::string& /*key*/) {
  if (failing_refunds_.load() > 0) {
    --failing_refunds_;
    return domain::MakeError(ErrorCode::kServiceUnavailable, "sandbox refund outage");
  }
  if (amount <= 0 || !reference.starts_with("ch_sandbox_")) {
    return domain::MakeError(ErrorCode::kValidationError, "unknown charge");
  }
  std::lock_guard lock(mu_);
  refunded_.insert(reference);  // a repeated refund of one charge is a no-op, as at real gateways
  return domain::Ok();
}

std::size_t SandboxGateway::refunded_count() const {
  std::lock_guard lock(mu_);
  return refunded_.size();
}

}  // namespace evently::payments
