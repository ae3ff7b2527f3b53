#include "http/seat_map_cache.hpp"

#include <cstdio>

#include "domain/catalog/search_text.hpp"
#include "domain/ids.hpp"
#include "wire/envelope.hpp"

namespace evently::http {
namespace {

std::string EtagFor(std::string_view key, std::int64_t version) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "\"%lld-%016llx\"", static_cast<long long>(version),
                static_cast<unsigned long long>(domain::Fnv1a(key)));
  return buf;
}

// If-None-Match uses weak comparison (RFC 9110 13.1.2): W/ is ignored, * matches anything.
bool NoneMatchNames(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    std::size_t comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
  }
  return false;
}

void AppendKeyPart(std::string& key, const std::optional<std::string>& part) {
  key += '\x1f';
  if (!part) return;
  key += '=';
  key += domain::FoldCase(*part);
}

}  // namespace

const DeflatedPart& CachedBody::Deflated() const {
  std::call_once(deflate_once_, [this] { deflated_ = Deflate(data_json_, false); });
  return deflated_;
}

std::string SeatMapCache::Key(std::string_view event_id, const domain::SeatMapQuery& query) {
  std::string key(event_id);
  key += '\x1f';
  key += query.status ? domain::SeatStatusName(*query.status) : "all";
  AppendKeyPart(key, query.section);
  AppendKeyPart(key, query.price_tier);
  return key;
}

domain::Result<std::shared_ptr<const CachedBody>> SeatMapCache::Get(const std::string& key,
                                                                    std::int64_t version,
                                                                    const Build& build) {
  std::unique_lock lock(mu_);
  for (;;) {
    Slot& slot = slots_[key];
    if (slot.body && slot.body->version() >= version) {
      ++hits_;
      lru_.splice(lru_.begin(), lru_, slot.lru);
      return slot.body;
    }
    if (!slot.building) {
      slot.building = true;
      break;
    }
    built_.wait(lock);
  }
  ++misses_;
  lock.unlock();
  // Whatever happens (error, exception), the slot stops building and the waiters wake.
  struct Done {
    SeatMapCache& cache;
    const std::string& key;
    ~Done() {
      std::lock_guard relock(cache.mu_);
      auto it = cache.slots_.find(key);
      if (it != cache.slots_.end()) {
        it->second.building = false;
        if (!it->second.body) cache.slots_.erase(it);
      }
      cache.built_.notify_all();
    }
  } done{*this, key};
  auto built = build();
  if (!built) return std::move(built).error();
  auto body = std::make_shared<const CachedBody>(built->first, std::move(built->second),
                                                 EtagFor(key, built->first));
  Store(key, body);
  return body;
}

void SeatMapCache::Store(const std::string& key, std::shared_ptr<const CachedBody> body) {
  std::lock_guard lock(mu_);
  Slot& slot = slots_[key];
  if (slot.body && slot.body->version() >= body->version()) return;
  if (slot.body) {
    bytes_ -= slot.body->data_json().size();
    lru_.erase(slot.lru);
  }
  bytes_ += body->data_json().size();
  slot.body = std::move(body);
  lru_.push_front(key);
  slot.lru = lru_.begin();
  while (bytes_ > max_bytes_ && lru_.size() > 1) {
    auto victim = slots_.find(lru_.back());
    bytes_ -= victim->second.body->data_json().size();
    lru_.pop_back();
    if (victim->second.building) {
      victim->second.body.reset();
    } else {
      slots_.erase(victim);
    }
  }
}

std::shared_ptr<const CachedBody> SeatMapCache::FindUnchanged(const std::string& key,
                                                              std::int64_t version,
                                                              const Request& req) {
  std::lock_guard lock(mu_);
  auto it = slots_.find(key);
  if (it == slots_.end() || !it->second.body || it->second.body->version() < version ||
      !NotModified(req, *it->second.body)) {
    return nullptr;
  }
  ++hits_;
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.body;
}

std::size_t SeatMapCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

std::uint64_t SeatMapCache::hits() const {
  std::lock_guard lock(mu_);
  return hits_;
}

std::uint64_t SeatMapCache::misses() const {
  std::lock_guard lock(mu_);
  return misses_;
}

bool NotModified(const Request& req, const CachedBody& body) {
  auto none_match = req.Header("if-none-match");
  if (!none_match) return false;
  bool gzip = AcceptsGzip(req.Header("accept-encoding"));
  return NoneMatchNames(*none_match, gzip ? body.gzip_etag() : body.etag());
}

Response CachedJsonResponse(const Request& req, const CachedBody& body) {
  bool gzip = AcceptsGzip(req.Header("accept-encoding"));
  Response res;
  res.SetHeader("ETag", gzip ? body.gzip_etag() : body.etag());
  res.SetHeader("Vary", "Accept-Encoding");
  res.SetHeader("Cache-Control", "no-cache");
  if (NotModified(req, body)) {
    res.status = 304;
    return res;
  }
  wire::EnvelopeFrame frame = wire::SuccessEnvelopeFrame({}, req.now);
  if (gzip) {
    DeflatedPart open = Deflate(frame.open, false);
    DeflatedPart close = Deflate(frame.close, true);
    res.body = GzipMember({&open, &body.Deflated(), &close});
    res.SetHeader("Content-Encoding", "gzip");
  } else {
    res.body.reserve(frame.open.size() + body.data_json().size() + frame.close.size());
    res.body += frame.open;
    res.body += body.data_json();
    res.body += frame.close;
  }
  return res;
}

}  // namespace evently::http
