// One page of a listing: what the client asked for, and what the store found.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace evently::domain {

inline constexpr std::int64_t kDefaultPerPage = 20;
inline constexpr std::int64_t kMaxPerPage = 100;

struct PageRequest {
  std::int64_t page = 1;
  std::int64_t per_page = kDefaultPerPage;

  // Saturates instead of overflowing: a page far past the end is simply empty.
  std::int64_t offset() const {
    if (page - 1 > std::numeric_limits<std::int64_t>::max() / per_page) {
      return std::numeric_limits<std::int64_t>::max();
    }
    return (page - 1) * per_page;
  }
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;  // across all pages
};

}  // namespace evently::domain
