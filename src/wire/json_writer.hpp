// Appends JSON text directly: fast for large seat maps, and money always has two decimals.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/time.hpp"

namespace evently::wire {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(std::int64_t value);
  JsonWriter& Money(std::int64_t minor_units);  // 50000 -> 500.00
  JsonWriter& Double(double value, int decimals = 2);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Inserts already-serialized JSON (a cached fragment, a stored object) as one value.
  JsonWriter& Raw(std::string_view json);

  // Shorthands for "key": value.
  template <typename T>
  JsonWriter& Field(std::string_view key, const T& value);
  JsonWriter& MoneyField(std::string_view key, std::int64_t minor_units) {
    return Key(key).Money(minor_units);
  }
  JsonWriter& OptionalString(std::string_view key, const std::string* value) {
    Key(key);
    return value ? String(*value) : Null();
  }
  // An RFC 3339 instant, or null when there is none.
  JsonWriter& OptionalTime(std::string_view key, const std::optional<domain::TimePoint>& when) {
    Key(key);
    return when ? String(domain::FormatRfc3339(*when)) : Null();
  }

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }
  void Reserve(std::size_t n) { out_.reserve(n); }

 private:
  void BeforeValue();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

void AppendEscaped(std::string& out, std::string_view text);
std::string FormatMoney(std::int64_t minor_units);

template <typename T>
JsonWriter& JsonWriter::Field(std::string_view key, const T& value) {
  Key(key);
  if constexpr (std::is_same_v<T, bool>) {
    return Bool(value);
  } else if constexpr (std::is_integral_v<T>) {
    return Int(static_cast<std::int64_t>(value));
  } else {
    return String(value);
  }
}

}  // namespace evently::wire
