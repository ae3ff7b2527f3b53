// Transport-neutral request/response as handlers see them (no Beast types here).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/error.hpp"
#include "domain/ports/idempotency.hpp"
#include "domain/principal.hpp"
#include "domain/time.hpp"
#include "wire/envelope.hpp"

namespace evently::http {

using Fields = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::string_view kJsonContentType = "application/json; charset=utf-8";

struct Request {
  std::string method;
  std::string target;
  // As sent, escapes and all: the router decodes each segment on its own.
  std::string path;
  Fields query;    // percent-decoded
  Fields headers;  // names lower-cased
  std::string body;
  Fields path_params;
  std::string remote_ip;
  std::string request_id;
  std::string_view route_pattern;  // the matched route (the router outlives it): logs, metrics
  domain::TimePoint now{};         // when the request arrived
  std::chrono::steady_clock::time_point started{};  // when its handling began (latency metric)
  // Set while a Route::io_first handler runs on the I/O thread: it must not block, and answers
  // from memory or returns Deferred() to be run again on the worker pool.
  bool on_io_thread = false;
  // What an io_first handler fetched between its tries (see Response::After).
  std::shared_ptr<void> io_state;
  std::optional<domain::Principal> principal;
  // Its Idempotency-Key, checked, on a route that takes one (middleware/idempotency.hpp).
  std::optional<domain::KeyedRequest> keyed;

  std::optional<std::string_view> Header(std::string_view lower_name) const;
  std::optional<std::string_view> Query(std::string_view name) const;
  std::string_view Param(std::string_view name) const;
  const domain::Principal& User() const { return *principal; }
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type;  // empty: kJsonContentType (no allocation for the usual case)
  Fields headers;
  bool deferred = false;  // see Deferred()

  // "Not answerable without blocking": the server runs the handler again on the worker pool
  // and keeps the headers middlewares put on this one.
  static Response Deferred() {
    Response res;
    res.deferred = true;
    return res;
  }
  // With `deferred`: an asynchronous step the handler waits for before it runs again on the I/O
  // thread. It is called with `resume`, and calls that (from any thread) once done.
  using AsyncStep = std::function<void(std::function<void()> resume)>;
  AsyncStep after;
  static Response After(AsyncStep step) {
    Response res = Deferred();
    res.after = std::move(step);
    return res;
  }
  std::string_view ContentType() const {
    return content_type.empty() ? kJsonContentType : std::string_view(content_type);
  }
  void SetHeader(std::string name, std::string value);
  std::optional<std::string_view> Header(std::string_view name) const;
};

// A response as an Idempotency-Key keeps it (its content type among the headers), and back.
domain::StoredResponse ToStored(const Response& res);
Response FromStored(domain::StoredResponse stored, bool replayed);

// Envelope builders: every answer goes through these.
Response Success(const Request& req, int status, std::string_view data_json,
                 std::string_view message = {}, const wire::Pagination* pagination = nullptr);
Response Failure(const Request& req, const domain::Error& error);
inline Response Failure(const Request& req, domain::ErrorCode code, std::string message = {}) {
  return Failure(req, domain::MakeError(code, std::move(message)));
}

}  // namespace evently::http
