// Transport-neutral request/response as handlers see them (no Beast types here).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/error.hpp"
#include "domain/principal.hpp"
#include "domain/time.hpp"
#include "wire/envelope.hpp"

namespace evently::http {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;
  std::string target;
  std::string path;
  Fields query;    // percent-decoded
  Fields headers;  // names lower-cased
  std::string body;
  Fields path_params;
  std::string remote_ip;
  std::string request_id;
  std::string route_pattern;  // the matched route, for logs and metrics
  domain::TimePoint now{};    // when the request arrived
  std::optional<domain::Principal> principal;

  std::optional<std::string_view> Header(std::string_view lower_name) const;
  std::optional<std::string_view> Query(std::string_view name) const;
  std::string_view Param(std::string_view name) const;
  const domain::Principal& User() const { return *principal; }
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  Fields headers;

  void SetHeader(std::string name, std::string value);
  std::optional<std::string_view> Header(std::string_view name) const;
};

// Envelope builders: every answer goes through these.
Response Success(const Request& req, int status, std::string data_json,
                 std::string_view message = {}, const wire::Pagination* pagination = nullptr);
Response Failure(const Request& req, const domain::Error& error);
inline Response Failure(const Request& req, domain::ErrorCode code, std::string message = {}) {
  return Failure(req, domain::MakeError(code, std::move(message)));
}

}  // namespace evently::http
