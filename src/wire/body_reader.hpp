// Strict decoding of request bodies: every problem becomes a {field, issue} pair.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "domain/text.hpp"

namespace evently::wire {

// Parses a request body that must be one JSON object.
domain::Result<boost::json::object> ParseObject(std::string_view body);

enum class Presence { kRequired, kOptional };

struct StringRule {
  std::size_t min_chars = 0;
  std::size_t max_chars = 1000;
  bool trim = false;
};

// Reads fields of one object, remembering which it saw so unknown ones can be rejected.
class ObjectReader {
 public:
  ObjectReader(const boost::json::object& object, std::vector<domain::FieldIssue>& issues,
               std::string path = {});

  std::optional<std::string> String(std::string_view key, Presence presence, StringRule rule = {});
  std::optional<std::int64_t> Integer(std::string_view key, Presence presence, std::int64_t min,
                                      std::int64_t max);
  // A JSON number with at most two decimals, as integer minor units.
  std::optional<std::int64_t> Money(std::string_view key, Presence presence,
                                    std::int64_t max_minor);
  std::optional<bool> Bool(std::string_view key, Presence presence);
  const boost::json::object* Object(std::string_view key, Presence presence);
  const boost::json::array* Array(std::string_view key, Presence presence, std::size_t min_items,
                                  std::size_t max_items);
  // Whether the key is present at all (null included).
  bool Has(std::string_view key) const;
  // Every key not read so far is reported as an unknown field.
  void RejectUnknown();

  void Issue(std::string_view key, std::string issue);
  std::string PathOf(std::string_view key) const;

 private:
  const boost::json::value* Find(std::string_view key, Presence presence);
  const boost::json::object& object_;
  std::vector<domain::FieldIssue>& issues_;
  std::string path_;
  std::vector<std::string> seen_;
};

using domain::IsValidUtf8;
using domain::Utf8Length;  // code points; invalid UTF-8 counts as npos

// Checks one JSON value as a string under `rule` (type, trimming, UTF-8, length); problems are
// reported as `field`. Object fields and array elements share it.
std::optional<std::string> CheckString(const boost::json::value& value, const std::string& field,
                                       StringRule rule, std::vector<domain::FieldIssue>& issues);

}  // namespace evently::wire
