#include "wire/body_reader.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cmath>

namespace evently::wire {

namespace json = boost::json;

domain::Result<json::object> ParseObject(std::string_view body) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 32;
  json::value value = json::parse(body, ec, {}, options);
  if (ec) return domain::ValidationError("body", "malformed JSON: " + ec.message());
  if (!value.is_object()) return domain::ValidationError("body", "must be a JSON object");
  return std::move(value.as_object());
}

ObjectReader::ObjectReader(const json::object& object, std::vector<domain::FieldIssue>& issues,
                           std::string path)
    : object_(object), issues_(issues), path_(std::move(path)) {}

std::string ObjectReader::PathOf(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void ObjectReader::Issue(std::string_view key, std::string issue) {
  issues_.push_back({PathOf(key), std::move(issue)});
}

bool ObjectReader::Has(std::string_view key) const { return object_.contains(key); }

const json::value* ObjectReader::Find(std::string_view key, Presence presence) {
  seen_.emplace_back(key);
  const json::value* value = object_.if_contains(key);
  if (value == nullptr || value->is_null()) {
    if (presence == Presence::kRequired) Issue(key, "is required");
    return nullptr;
  }
  return value;
}

std::optional<std::string> CheckString(const json::value& value, const std::string& field,
                                       StringRule rule, std::vector<domain::FieldIssue>& issues) {
  if (!value.is_string()) {
    issues.push_back({field, "must be a string"});
    return std::nullopt;
  }
  std::string text(value.as_string());
  if (rule.trim) {
    auto first = text.find_first_not_of(" \t\r\n");
    auto last = text.find_last_not_of(" \t\r\n");
    text = first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
  }
  std::size_t length = Utf8Length(text);
  if (length == std::string_view::npos) {
    issues.push_back({field, "must be valid UTF-8"});
    return std::nullopt;
  }
  if (length < rule.min_chars) {
    issues.push_back(
        {field, rule.min_chars == 1
                    ? "must not be empty"
                    : "must be at least " + std::to_string(rule.min_chars) + " characters"});
    return std::nullopt;
  }
  if (length > rule.max_chars) {
    issues.push_back({field, "must be at most " + std::to_string(rule.max_chars) + " characters"});
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> ObjectReader::String(std::string_view key, Presence presence,
                                                StringRule rule) {
  const json::value* value = Find(key, presence);
  if (!value) return std::nullopt;
  return CheckString(*value, PathOf(key), rule, issues_);
}

std::optional<std::int64_t> ObjectReader::Integer(std::string_view key, Presence presence,
                                                  std::int64_t min, std::int64_t max) {
  const json::value* value = Find(key, presence);
  if (!value) return std::nullopt;
  std::int64_t n = 0;
  if (value->is_int64()) {
    n = value->as_int64();
  } else if (value->is_uint64() && value->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    n = static_cast<std::int64_t>(value->as_uint64());
  } else if (value->is_double() && std::trunc(value->as_double()) == value->as_double() &&
             std::fabs(value->as_double()) < 9e15) {
    n = static_cast<std::int64_t>(value->as_double());
  } else {
    Issue(key, "must be an integer");
    return std::nullopt;
  }
  if (n < min || n > max) {
    Issue(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<std::int64_t> ObjectReader::Money(std::string_view key, Presence presence,
                                                std::int64_t max_minor) {
  const json::value* value = Find(key, presence);
  if (!value) return std::nullopt;
  double amount = 0;
  if (value->is_int64()) {
    amount = static_cast<double>(value->as_int64());
  } else if (value->is_uint64()) {
    amount = static_cast<double>(value->as_uint64());
  } else if (value->is_double()) {
    amount = value->as_double();
  } else {
    Issue(key, "must be a number");
    return std::nullopt;
  }
  double minor = amount * 100.0;
  double rounded = std::round(minor);
  if (!std::isfinite(minor) || std::fabs(minor - rounded) > 1e-6 * std::max(1.0, std::fabs(minor))) {
    Issue(key, "must have at most two decimals");
    return std::nullopt;
  }
  if (rounded < 0 || rounded > static_cast<double>(max_minor)) {
    Issue(key, "must be between 0 and " + std::to_string(max_minor / 100));
    return std::nullopt;
  }
  return static_cast<std::int64_t>(rounded);
}

std::optional<bool> ObjectReader::Bool(std::string_view key, Presence presence) {
  const json::value* value = Find(key, presence);
  if (!value) return std::nullopt;
  if (!value->is_bool()) {
    Issue(key, "must be a boolean");
    return std::nullopt;
  }
  return value->as_bool();
}

const json::object* ObjectReader::Object(std::string_view key, Presence presence) {
  const json::value* value = Find(key, presence);
  if (!value) return nullptr;
  if (!value->is_object()) {
    Issue(key, "must be an object");
    return nullptr;
  }
  return &value->as_object();
}

const json::array* ObjectReader::Array(std::string_view key, Presence presence,
                                       std::size_t min_items, std::size_t max_items) {
  const json::value* value = Find(key, presence);
  if (!value) return nullptr;
  if (!value->is_array()) {
    Issue(key, "must be an array");
    return nullptr;
  }
  const auto& array = value->as_array();
  if (array.size() < min_items || array.size() > max_items) {
    Issue(key, "must have between " + std::to_string(min_items) + " and " +
                   std::to_string(max_items) + " items");
    return nullptr;
  }
  return &array;
}

void ObjectReader::RejectUnknown() {
  for (const auto& entry : object_) {
    if (std::find(seen_.begin(), seen_.end(), entry.key()) == seen_.end()) {
      Issue(entry.key(), "is not a known field");
    }
  }
}

}  // namespace evently::wire
