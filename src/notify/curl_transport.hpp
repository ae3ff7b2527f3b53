// Delivery transports on libcurl: email over SMTP, SMS as an HTTP POST to a webhook. A batch is
// sent concurrently on one curl multi handle, each transfer bounded by its own timeout.
#pragma once

#include <chrono>
#include <string>

#include "domain/ports/notifications.hpp"

namespace evently::notify {

struct SmtpOptions {
  std::string url;   // smtp://host:port (smtps:// for implicit TLS)
  std::string from;  // "Evently <no-reply@evently.local>"
  std::chrono::milliseconds timeout{10000};
};

class SmtpTransport final : public domain::DeliveryTransport {
 public:
  explicit SmtpTransport(SmtpOptions options);
  std::vector<domain::Status> SendAll(const std::vector<domain::Delivery>& deliveries) override;

  // The RFC 5322 message sent for a delivery (headers CRLF-safe, UTF-8 subject encoded).
  static std::string Message(const domain::Delivery& delivery, const std::string& from,
                             std::chrono::system_clock::time_point date);

 private:
  SmtpOptions options_;
};

struct WebhookOptions {
  std::string url;  // receives POST {"to","body","notification_id","delivery_id"}
  std::chrono::milliseconds timeout{10000};
};

class SmsWebhookTransport final : public domain::DeliveryTransport {
 public:
  explicit SmsWebhookTransport(WebhookOptions options);
  std::vector<domain::Status> SendAll(const std::vector<domain::Delivery>& deliveries) override;

 private:
  WebhookOptions options_;
};

}  // namespace evently::notify
