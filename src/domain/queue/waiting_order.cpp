#include "domain/queue/waiting_order.hpp"

#include <algorithm>
#include <iterator>

namespace evently::domain {

WaitingOrder::Snapshot& WaitingOrder::Of(const std::string& event_id) {
  std::lock_guard lock(mu_);
  auto& slot = events_[event_id];
  if (!slot) slot = std::make_unique<Snapshot>();
  return *slot;
}

std::shared_ptr<const std::vector<std::int64_t>> WaitingOrder::Current(Snapshot& s,
                                                                       const std::string& event_id,
                                                                       TimePoint now,
                                                                       bool may_reload) {
  {
    std::lock_guard lock(s.mu);
    bool fresh = !s.stale && s.loaded && now - *s.loaded < max_age_;
    if (fresh || s.loading || !may_reload) return s.keys;
    s.loading = true;
  }
  std::shared_ptr<const std::vector<std::int64_t>> loaded;
  try {
    loaded = std::make_shared<const std::vector<std::int64_t>>(load_(event_id));
  } catch (...) {
    std::lock_guard lock(s.mu);
    s.loading = false;
    throw;
  }
  std::lock_guard lock(s.mu);
  s.keys = loaded;
  s.loaded = now;
  s.stale = false;
  s.loading = false;
  return s.keys;
}

std::int64_t WaitingOrder::Position(const std::string& event_id, std::int64_t key, TimePoint now,
                                    bool may_reload) {
  auto keys = Current(Of(event_id), event_id, now, may_reload);
  auto before = std::lower_bound(keys->begin(), keys->end(), key);
  return static_cast<std::int64_t>(std::distance(keys->begin(), before)) + 1;
}

void WaitingOrder::Joined(const std::string& event_id, std::vector<std::int64_t> keys) {
  std::sort(keys.begin(), keys.end());
  Snapshot& s = Of(event_id);
  std::lock_guard lock(s.mu);
  auto merged = std::make_shared<std::vector<std::int64_t>>();
  merged->reserve(s.keys->size() + keys.size());
  std::merge(s.keys->begin(), s.keys->end(), keys.begin(), keys.end(), std::back_inserter(*merged));
  s.keys = std::move(merged);
}

void WaitingOrder::Admitted(const std::string& event_id, std::int64_t count) {
  Snapshot& s = Of(event_id);
  std::lock_guard lock(s.mu);
  auto n = std::min<std::size_t>(static_cast<std::size_t>(std::max<std::int64_t>(count, 0)),
                                 s.keys->size());
  s.keys = std::make_shared<const std::vector<std::int64_t>>(
      s.keys->begin() + static_cast<std::ptrdiff_t>(n), s.keys->end());
}

void WaitingOrder::Left(const std::string& event_id, std::int64_t key) {
  Snapshot& s = Of(event_id);
  std::lock_guard lock(s.mu);
  auto found = std::lower_bound(s.keys->begin(), s.keys->end(), key);
  if (found == s.keys->end() || *found != key) return;
  auto rest = std::make_shared<std::vector<std::int64_t>>(s.keys->begin(), found);
  rest->insert(rest->end(), std::next(found), s.keys->end());
  s.keys = std::move(rest);
}

std::size_t WaitingOrder::Keys() const {
  std::lock_guard lock(mu_);
  std::size_t total = 0;
  for (const auto& [_, s] : events_) {
    std::lock_guard inner(s->mu);
    total += s->keys->size();
  }
  return total;
}

}  // namespace evently::domain
