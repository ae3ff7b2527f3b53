#include "payments/stripe_gateway.hpp"

#include <curl/curl.h>

#include <boost/json.hpp>
#include <cctype>
#include <memory>
#include <string>
#include <string_view>

namespace evently::payments {
namespace {

namespace json = boost::json;
using domain::ErrorCode;

std::size_t Collect(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// application/x-www-form-urlencoded, as Stripe takes every request body.
class Form {
 public:
  Form& Add(std::string_view name, std::string_view value) {
    if (!out_.empty()) out_ += '&';
    Escape(name);
    out_ += '=';
    Escape(value);
    return *this;
  }
  const std::string& str() const { return out_; }

 private:
  void Escape(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (unsigned char c : text) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        out_ += static_cast<char>(c);
      } else {
        out_ += '%';
        out_ += kHex[c >> 4];
        out_ += kHex[c & 15];
      }
    }
  }
  std::string out_;
};

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

const json::object* AsObject(const json::value& v) {
  return v.is_object() ? &v.get_object() : nullptr;
}

std::string Field(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

json::value Parse(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  return ec ? json::value() : v;
}

domain::Error Unavailable(std::string_view what) {
  return domain::MakeError(ErrorCode::kServiceUnavailable,
                           std::string("The payment gateway ").append(what));
}

// An error answer of the API: a decline is PAYMENT_FAILED with Stripe's code as the reason, a
// request Stripe refused is a validation error of the payment details, anything else (5xx, no
// answer, a body that is not Stripe's) means the gateway cannot be relied on now.
domain::Error ErrorOf(const StripeGateway::Answer& answer) {
  if (answer.status == 0) return Unavailable("did not answer in time");
  json::value v = Parse(answer.body);
  const json::object* root = AsObject(v);
  const json::object* error = nullptr;
  if (root && root->if_contains("error")) error = AsObject(root->at("error"));
  if (answer.status >= 500 || !error)
    return Unavailable("failed (HTTP " + std::to_string(answer.status) + ")");
  std::string type = Field(*error, "type");
  std::string code = Field(*error, "decline_code");
  if (code.empty()) code = Field(*error, "code");
  if (answer.status == 402 || type == "card_error") {
    domain::Error declined = domain::MakeError(ErrorCode::kPaymentFailed, "Payment was declined");
    declined.details.strings = {{"reason", code.empty() ? "card_declined" : code}};
    return declined;
  }
  if (answer.status == 400 || answer.status == 404) {
    return domain::ValidationError("payment_details.token", "was refused by the payment gateway (" +
                                                                (code.empty() ? type : code) + ")");
  }
  return Unavailable("refused the call (HTTP " + std::to_string(answer.status) + ")");
}

std::optional<domain::ChargeReceipt> ReceiptOf(const json::object& intent) {
  std::string status = Field(intent, "status");
  std::string id = Field(intent, "id");
  if (id.empty()) return std::nullopt;
  if (status == "requires_capture") return domain::ChargeReceipt{id, false};
  if (status == "succeeded") return domain::ChargeReceipt{id, true};
  return std::nullopt;  // canceled, or never authorized: no money is held
}

}  // namespace

StripeGateway::StripeGateway(StripeOptions options) : options_(std::move(options)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

StripeGateway::~StripeGateway() = default;

StripeGateway::Answer StripeGateway::Call(const std::string& method, const std::string& path,
                                          const std::string& form,
                                          const std::string& idempotency_key) const {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy(curl_easy_init(), curl_easy_cleanup);
  if (!easy) return {};
  std::string url = options_.api_base + path;
  std::string body;
  curl_slist* raw = nullptr;
  raw = curl_slist_append(raw, ("Authorization: Bearer " + options_.secret_key).c_str());
  raw = curl_slist_append(raw, "Stripe-Version: 2024-06-20");
  if (!idempotency_key.empty()) {
    raw = curl_slist_append(raw, ("Idempotency-Key: " + idempotency_key).c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(raw, curl_slist_free_all);
  CURL* c = easy.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<std::int64_t>(options_.timeout.count(), 5000)));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  if (method == "POST") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, form.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(form.size()));
  }
  if (curl_easy_perform(c) != CURLE_OK) return {};
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  return {status, std::move(body)};
}

domain::Result<domain::ChargeReceipt> StripeGateway::Charge(const domain::ChargeRequest& request) {
  const domain::PaymentDetails& d = request.details;
  if (!d.token) {
    // Raw card numbers never reach this server's gateway calls: the client tokenizes them.
    return domain::ValidationError("payment_details.token",
                                   "is required with the stripe gateway (no raw card fields)");
  }
  Form form;
  form.Add("amount", std::to_string(request.amount))
      .Add("currency", Lower(request.currency))
      .Add("confirm", "true")
      .Add("capture_method", "manual")
      .Add("payment_method_types[]", "card")
      .Add("payment_method_data[type]", "card")
      .Add("payment_method_data[card][token]", *d.token)
      .Add("metadata[attempt_id]", request.attempt_id)
      .Add("metadata[booking_id]", request.booking_id);
  Answer answer = Call("POST", "/v1/payment_intents", form.str(), request.attempt_id);
  if (answer.status != 200) return ErrorOf(answer);
  json::value v = Parse(answer.body);
  const json::object* intent = AsObject(v);
  if (!intent) return Unavailable("answered something that is not a PaymentIntent");
  if (auto receipt = ReceiptOf(*intent)) return *receipt;
  domain::Error declined = domain::MakeError(ErrorCode::kPaymentFailed, "Payment was declined");
  declined.details.strings = {{"reason", Field(*intent, "status")}};
  return declined;
}

domain::Status StripeGateway::Capture(const std::string& reference, std::int64_t amount) {
  Form form;
  form.Add("amount_to_capture", std::to_string(amount));
  Answer answer = Call("POST", "/v1/payment_intents/" + reference + "/capture", form.str(),
                       "capture-" + reference);
  if (answer.status == 200) return domain::Ok();
  return ErrorOf(answer);
}

domain::Status StripeGateway::Refund(const std::string& reference, std::int64_t amount,
                                     const std::string& key) {
  Answer intent = Call("GET", "/v1/payment_intents/" + reference, "", "");
  if (intent.status != 200) return ErrorOf(intent);
  json::value v = Parse(intent.body);
  const json::object* o = AsObject(v);
  if (!o) return Unavailable("answered something that is not a PaymentIntent");
  std::string status = Field(*o, "status");
  if (status == "canceled") return domain::Ok();  // nothing is held any more
  Answer done;
  if (status == "requires_capture") {
    // An authorization is given back whole by cancelling it; nothing was taken.
    done = Call("POST", "/v1/payment_intents/" + reference + "/cancel", "", key);
  } else {
    Form form;
    form.Add("payment_intent", reference).Add("amount", std::to_string(amount));
    done = Call("POST", "/v1/refunds", form.str(), key);
  }
  if (done.status == 200) return domain::Ok();
  return ErrorOf(done);
}

domain::Result<std::optional<domain::ChargeReceipt>> StripeGateway::FindCharge(
    const std::string& attempt_id) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy(curl_easy_init(), curl_easy_cleanup);
  std::string query = "metadata['attempt_id']:'" + attempt_id + "'";
  char* escaped = curl_easy_escape(easy.get(), query.c_str(), static_cast<int>(query.size()));
  std::string path = "/v1/payment_intents/search?query=" + std::string(escaped ? escaped : "");
  curl_free(escaped);
  Answer answer = Call("GET", path, "", "");
  if (answer.status != 200) return ErrorOf(answer);
  json::value v = Parse(answer.body);
  const json::object* root = AsObject(v);
  const json::value* data = root ? root->if_contains("data") : nullptr;
  if (!data || !data->is_array()) return Unavailable("answered a search that is not Stripe's");
  for (const json::value& item : data->get_array()) {
    if (const json::object* intent = AsObject(item)) {
      if (auto receipt = ReceiptOf(*intent)) return std::optional<domain::ChargeReceipt>(*receipt);
    }
  }
  return std::optional<domain::ChargeReceipt>();
}

}  // namespace evently::payments
