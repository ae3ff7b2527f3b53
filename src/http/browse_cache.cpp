#include "http/browse_cache.hpp"

#include <algorithm>

namespace evently::http {

domain::Result<std::shared_ptr<const BrowseAnswer>> BrowseCache::Get(
    const std::string& key, domain::TimePoint now,
    const std::function<domain::Result<BrowseAnswer>()>& build) {
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mu_);
    if (auto hit = FindLocked(key, now)) return hit;
    generation = generation_;
  }
  auto built = build();
  if (!built) return std::move(built).error();
  auto answer = std::make_shared<const BrowseAnswer>(std::move(built).value());
  if (ttl_.count() <= 0) return answer;
  domain::TimePoint expires_at = now + ttl_;
  if (answer->next_status_change) expires_at = std::min(expires_at, *answer->next_status_change);
  std::lock_guard lock(mu_);
  // Built from what the store held before a change this node made: not worth keeping.
  if (generation != generation_) return answer;
  if (entries_.size() >= max_entries_) {
    std::erase_if(entries_, [now](const auto& entry) { return entry.second.expires_at <= now; });
    if (entries_.size() >= max_entries_) entries_.clear();
  }
  entries_[key] = Entry{answer, expires_at};
  return answer;
}

std::shared_ptr<const BrowseAnswer> BrowseCache::FindLocked(const std::string& key,
                                                            domain::TimePoint now) const {
  auto it = entries_.find(key);
  if (it != entries_.end() && now < it->second.expires_at) return it->second.answer;
  return nullptr;
}

std::shared_ptr<const BrowseAnswer> BrowseCache::Find(const std::string& key,
                                                      domain::TimePoint now) const {
  std::lock_guard lock(mu_);
  return FindLocked(key, now);
}

void BrowseCache::CatalogChanged() {
  std::lock_guard lock(mu_);
  ++generation_;
  entries_.clear();
}

std::size_t BrowseCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

Response BrowseResponse(const Request& req, const BrowseAnswer& answer) {
  return Success(req, 200, answer.data_json, {}, answer.pagination ? &*answer.pagination : nullptr);
}

Response BrowseAnswerFor(const Request& req, BrowseCache& cache, const std::string& key,
                         const std::function<domain::Result<BrowseAnswer>()>& build) {
  if (req.on_io_thread) {
    auto hit = cache.Find(key, req.now);
    return hit ? BrowseResponse(req, *hit) : Response::Deferred();
  }
  auto answer = cache.Get(key, req.now, build);
  if (!answer) return Failure(req, answer.error());
  return BrowseResponse(req, **answer);
}

}  // namespace evently::http
