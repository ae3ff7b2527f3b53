// Rows for the batch statements, as one JSON array of arrays: read by PostgreSQL's
// json_array_elements and SQLite's json_each, so one statement writes a whole batch.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace evently::storage {

class JsonRows {
 public:
  // Starts the next row.
  JsonRows& Row() {
    out_ += rows_++ == 0 ? "[[" : "],[";
    first_ = true;
    return *this;
  }
  JsonRows& Text(std::string_view text) {
    Separate();
    out_ += '"';
    for (char c : text) {
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
        out_ += escaped;
      } else {
        out_ += c;
      }
    }
    out_ += '"';
    return *this;
  }
  JsonRows& Int(std::int64_t value) {
    Separate();
    out_ += std::to_string(value);
    return *this;
  }
  JsonRows& Null() {
    Separate();
    out_ += "null";
    return *this;
  }
  bool empty() const { return rows_ == 0; }
  // The finished array; the builder is spent.
  std::string Close() {
    out_ += rows_ == 0 ? "[]" : "]]";
    return std::move(out_);
  }

 private:
  void Separate() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  std::string out_;
  std::size_t rows_ = 0;
  bool first_ = true;
};

}  // namespace evently::storage
