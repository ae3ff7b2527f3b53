// Per-node cache of browsing answers (event list pages, event details). An answer may lag the
// store by at most the configured time: changes made through this node's catalogue drop the
// cache at once, and an entry never outlives the next start or end among the events it shows,
// so a derived status is never stale. (Seat maps have their own, never-stale cache.)
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "domain/catalog/catalog_service.hpp"
#include "domain/error.hpp"
#include "domain/time.hpp"
#include "http/message.hpp"
#include "wire/envelope.hpp"

namespace evently::http {

struct BrowseAnswer {
  std::string data_json;
  std::optional<wire::Pagination> pagination;
  std::optional<domain::TimePoint> next_status_change;  // of the events shown
};

class BrowseCache final : public domain::CatalogChangeListener {
 public:
  // ttl 0: nothing is kept.
  explicit BrowseCache(std::chrono::milliseconds ttl, std::size_t max_entries = 10000)
      : ttl_(ttl), max_entries_(max_entries) {}

  // The cached answer for `key`, or `build`'s, which is kept unless the catalogue changed
  // meanwhile.
  domain::Result<std::shared_ptr<const BrowseAnswer>> Get(
      const std::string& key, domain::TimePoint now,
      const std::function<domain::Result<BrowseAnswer>()>& build);

  // The fresh cached answer for `key`, or null; never builds (safe on the I/O thread).
  std::shared_ptr<const BrowseAnswer> Find(const std::string& key, domain::TimePoint now) const;

  void CatalogChanged() override;
  std::size_t size() const;

 private:
  struct Entry {
    std::shared_ptr<const BrowseAnswer> answer;
    domain::TimePoint expires_at;
  };

  std::shared_ptr<const BrowseAnswer> FindLocked(const std::string& key,
                                                 domain::TimePoint now) const;

  const std::chrono::milliseconds ttl_;
  const std::size_t max_entries_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::uint64_t generation_ = 0;  // bumped by every change
};

// The answer in the success envelope (with its pagination, if any).
Response BrowseResponse(const Request& req, const BrowseAnswer& answer);

// The answer for `key` as a response: cached or built. On the I/O thread (Route::io_first) only
// a cached answer is given; a miss is Response::Deferred(), built on the worker pool.
Response BrowseAnswerFor(const Request& req, BrowseCache& cache, const std::string& key,
                         const std::function<domain::Result<BrowseAnswer>()>& build);

}  // namespace evently::http
