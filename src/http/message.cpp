#include "http/message.hpp"

#include <strings.h>

namespace evently::http {
namespace {

std::optional<std::string_view> Lookup(const Fields& fields, std::string_view name) {
  for (const auto& [key, value] : fields) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> Request::Header(std::string_view lower_name) const {
  return Lookup(headers, lower_name);
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
  return Lookup(query, name);
}

std::string_view Request::Param(std::string_view name) const {
  return Lookup(path_params, name).value_or(std::string_view());
}

void Response::SetHeader(std::string name, std::string value) {
  for (auto& [key, existing] : headers) {
    if (key.size() == name.size() && strncasecmp(key.c_str(), name.c_str(), key.size()) == 0) {
      existing = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> Response::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), key.size()) == 0) {
      return std::string_view(value);
    }
  }
  return std::nullopt;
}

domain::StoredResponse ToStored(const Response& res) {
  domain::StoredResponse stored{res.status, res.headers, res.body};
  stored.headers.emplace_back("Content-Type", std::string(res.ContentType()));
  return stored;
}

Response FromStored(domain::StoredResponse stored, bool replayed) {
  Response res;
  res.status = stored.status;
  res.body = std::move(stored.body);
  for (auto& [name, value] : stored.headers) {
    if (name == "Content-Type") {
      res.content_type = std::move(value);
    } else {
      res.SetHeader(std::move(name), std::move(value));
    }
  }
  if (replayed) res.SetHeader("Idempotent-Replayed", "true");
  return res;
}

Response Success(const Request& req, int status, std::string_view data_json,
                 std::string_view message, const wire::Pagination* pagination) {
  Response res;
  res.status = status;
  res.body = wire::SuccessEnvelope(data_json, message, req.now, pagination);
  return res;
}

Response Failure(const Request& req, const domain::Error& error) {
  Response res;
  res.status = domain::Describe(error.code).http_status;
  res.body = wire::ErrorEnvelope(error, req.now);
  if (error.code == domain::ErrorCode::kAuthRequired ||
      error.code == domain::ErrorCode::kAuthTokenInvalid ||
      error.code == domain::ErrorCode::kAuthTokenExpired) {
    res.SetHeader("WWW-Authenticate", "Bearer");
  }
  if (error.code == domain::ErrorCode::kServiceUnavailable) res.SetHeader("Retry-After", "1");
  return res;
}

}  // namespace evently::http
