// A requested page of a list (page >= 1, per_page 1..100) and what a store returns for it.
#pragma once

#include <cstdint>
#include <vector>

namespace evently::domain {

inline constexpr std::int64_t kDefaultPerPage = 20;
inline constexpr std::int64_t kMaxPerPage = 100;

struct PageRequest {
  std::int64_t page = 1;
  std::int64_t per_page = kDefaultPerPage;
  std::int64_t offset() const { return (page - 1) * per_page; }
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;  // across all pages
};

}  // namespace evently::domain
