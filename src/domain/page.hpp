// One page of a listing plus the total it was cut from.
#pragma once

#include <cstdint>
#include <vector>

namespace evently::domain {

struct PageRequest {
  std::int64_t page = 1;
  std::int64_t per_page = 20;
  std::int64_t offset() const { return (page - 1) * per_page; }
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;
};

}  // namespace evently::domain
