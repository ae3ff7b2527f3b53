#include "notify/curl_transport.hpp"

#include <curl/curl.h>

#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <mutex>

#include "wire/json_writer.hpp"

namespace evently::notify {
namespace {

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// One transfer: its easy handle, what it uploads, and what it needs alive until it is done.
struct Transfer {
  CURL* easy = nullptr;
  curl_slist* list = nullptr;  // recipients (SMTP) or headers (HTTP)
  std::string upload;
  std::size_t sent = 0;
  bool http = false;
  ~Transfer() {
    if (easy) curl_easy_cleanup(easy);
    if (list) curl_slist_free_all(list);
  }
};

std::size_t ReadUpload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t n = std::min(size * count, t->upload.size() - t->sent);
  // A byte range of the request body into curl's buffer, not a C string.
  // NOLINTNEXTLINE(bugprone-not-null-terminated-result)
  std::memcpy(buffer, t->upload.data() + t->sent, n);
  t->sent += n;
  return n;
}

std::size_t Discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

void Common(Transfer& t, const std::string& url, std::chrono::milliseconds timeout) {
  curl_easy_setopt(t.easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(t.easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(t.easy, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(t.easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<std::int64_t>(timeout.count(), 5000)));
  curl_easy_setopt(t.easy, CURLOPT_WRITEFUNCTION, Discard);
}

// Runs every transfer at once and reports each outcome; returns within the longest timeout.
std::vector<domain::Status> RunAll(std::vector<std::unique_ptr<Transfer>>& transfers,
                                   std::string_view what) {
  std::vector<domain::Status> results(transfers.size(), domain::Ok());
  CURLM* multi = curl_multi_init();
  for (auto& t : transfers) curl_multi_add_handle(multi, t->easy);
  int running = 0;
  do {
    if (curl_multi_perform(multi, &running) != CURLM_OK) break;
    if (running > 0) curl_multi_poll(multi, nullptr, 0, 200, nullptr);
  } while (running > 0);
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    for (std::size_t i = 0; i < transfers.size(); ++i) {
      if (transfers[i]->easy != msg->easy_handle) continue;
      long code = 0;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
      if (msg->data.result != CURLE_OK) {
        results[i] =
            domain::MakeError(domain::ErrorCode::kServiceUnavailable,
                              std::string(what) + ": " + curl_easy_strerror(msg->data.result));
      } else if (transfers[i]->http && (code < 200 || code >= 300)) {
        results[i] = domain::MakeError(domain::ErrorCode::kServiceUnavailable,
                                       std::string(what) + ": HTTP " + std::to_string(code));
      }
    }
  }
  for (auto& t : transfers) curl_multi_remove_handle(multi, t->easy);
  curl_multi_cleanup(multi);
  return results;
}

// Header values never carry line breaks (no header injection through names or subjects).
std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : text) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
  return out;
}

// "<address>" for SMTP envelopes and headers (appended: GCC 12 -O3 misreports "<" + string&&).
std::string Bracketed(std::string_view address) {
  std::string out;
  out.reserve(address.size() + 2);
  out += '<';
  out += address;
  out += '>';
  return out;
}

std::string AddressOf(const std::string& mailbox) {
  auto open = mailbox.find('<'), close = mailbox.rfind('>');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    return mailbox.substr(open + 1, close - open - 1);
  }
  return mailbox;
}

// RFC 2047 encoded word when the subject is not plain ASCII.
std::string EncodeSubject(const std::string& subject) {
  bool ascii = true;
  for (unsigned char c : subject) ascii = ascii && c < 0x80;
  if (ascii) return subject;
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out = "=?UTF-8?B?";
  std::size_t i = 0;
  for (; i + 2 < subject.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(subject[i]) << 16) |
                 (static_cast<unsigned char>(subject[i + 1]) << 8) |
                 static_cast<unsigned char>(subject[i + 2]);
    out += {kB64[v >> 18], kB64[(v >> 12) & 63], kB64[(v >> 6) & 63], kB64[v & 63]};
  }
  if (i < subject.size()) {
    unsigned v = static_cast<unsigned char>(subject[i]) << 16;
    if (i + 1 < subject.size()) v |= static_cast<unsigned char>(subject[i + 1]) << 8;
    out += {kB64[v >> 18], kB64[(v >> 12) & 63]};
    out += i + 1 < subject.size() ? kB64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out + "?=";
}

std::string CrlfLines(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\r') continue;
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

}  // namespace

SmtpTransport::SmtpTransport(SmtpOptions options) : options_(std::move(options)) { InitCurlOnce(); }

std::string SmtpTransport::Message(const domain::Delivery& d, const std::string& from,
                                   std::chrono::system_clock::time_point date) {
  std::time_t t = std::chrono::system_clock::to_time_t(date);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char when[64];
  std::strftime(when, sizeof when, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  std::string out;
  out += "Date: " + std::string(when) + "\r\n";
  out += "From: " + OneLine(from) + "\r\n";
  out += "To: " + Bracketed(OneLine(d.recipient)) + "\r\n";
  out += "Subject: " + EncodeSubject(OneLine(d.subject)) + "\r\n";
  // The delivery id: a receiver can drop the duplicate of a retried send.
  out += "Message-ID: <" + d.id + "@evently>\r\n";
  out += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: 8bit\r\n\r\n";
  out += CrlfLines(d.body) + "\r\n";
  return out;
}

std::vector<domain::Status> SmtpTransport::SendAll(
    const std::vector<domain::Delivery>& deliveries) {
  std::vector<std::unique_ptr<Transfer>> transfers;
  std::string sender = Bracketed(AddressOf(options_.from));
  for (const auto& d : deliveries) {
    auto t = std::make_unique<Transfer>();
    t->easy = curl_easy_init();
    t->upload = Message(d, options_.from, std::chrono::system_clock::now());
    t->list = curl_slist_append(nullptr, Bracketed(OneLine(d.recipient)).c_str());
    Common(*t, options_.url, options_.timeout);
    curl_easy_setopt(t->easy, CURLOPT_MAIL_FROM, sender.c_str());
    curl_easy_setopt(t->easy, CURLOPT_MAIL_RCPT, t->list);
    curl_easy_setopt(t->easy, CURLOPT_READFUNCTION, ReadUpload);
    curl_easy_setopt(t->easy, CURLOPT_READDATA, t.get());
    curl_easy_setopt(t->easy, CURLOPT_UPLOAD, 1L);
    transfers.push_back(std::move(t));
  }
  return RunAll(transfers, "smtp");
}

SmsWebhookTransport::SmsWebhookTransport(WebhookOptions options) : options_(std::move(options)) {
  InitCurlOnce();
}

std::vector<domain::Status> SmsWebhookTransport::SendAll(
    const std::vector<domain::Delivery>& deliveries) {
  std::vector<std::unique_ptr<Transfer>> transfers;
  for (const auto& d : deliveries) {
    auto t = std::make_unique<Transfer>();
    t->easy = curl_easy_init();
    t->http = true;
    wire::JsonWriter w;
    w.BeginObject()
        .Field("to", d.recipient)
        .Field("body", d.body)
        .Field("notification_id", d.notification_id)
        .Field("delivery_id", d.id)
        .EndObject();
    t->upload = w.Take();
    t->list = curl_slist_append(nullptr, "Content-Type: application/json");
    // Retries carry the same key, so the SMS gateway can send each message once.
    t->list = curl_slist_append(t->list, ("Idempotency-Key: " + d.id).c_str());
    Common(*t, options_.url, options_.timeout);
    curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->list);
    curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, t->upload.c_str());
    curl_easy_setopt(t->easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(t->upload.size()));
    transfers.push_back(std::move(t));
  }
  return RunAll(transfers, "sms webhook");
}

}  // namespace evently::notify
