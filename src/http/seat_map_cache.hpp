// Per-node cache of serialized seat maps, keyed by event and filters, valid for one
// events.seat_version: a request reads the version (one primary-key read) and is answered from
// here only when the cached map is at least that new, so a map older than the last committed
// seat change is never served. Concurrent misses on one key build once.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "domain/catalog/models.hpp"
#include "domain/error.hpp"
#include "http/gzip.hpp"
#include "http/message.hpp"

namespace evently::http {

// A serialized `data` part at one version, with its strong ETag and, once asked for, its
// compressed form.
class CachedBody {
 public:
  CachedBody(std::int64_t version, std::string data_json, std::string etag)
      : version_(version),
        data_json_(std::move(data_json)),
        etag_(std::move(etag)),
        gzip_etag_(etag_.substr(0, etag_.size() - 1) + "-gz\"") {}

  std::int64_t version() const { return version_; }
  const std::string& data_json() const { return data_json_; }
  const std::string& etag() const { return etag_; }
  // The gzip representation is another entity: its tag differs ("...-gz").
  const std::string& gzip_etag() const { return gzip_etag_; }
  // Compressed on first use (a seat map asked for without gzip never pays for it).
  const DeflatedPart& Deflated() const;

 private:
  std::int64_t version_;
  std::string data_json_;
  std::string etag_;
  std::string gzip_etag_;
  mutable std::once_flag deflate_once_;
  mutable DeflatedPart deflated_;
};

class SeatMapCache {
 public:
  // Builds the data part and says which version it was read at (>= the version asked for).
  using Build = std::function<domain::Result<std::pair<std::int64_t, std::string>>()>;

  explicit SeatMapCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  static std::string Key(std::string_view event_id, const domain::SeatMapQuery& query);

  // The cached body if it is at least `version`; otherwise one caller builds it while the
  // others asking for the same key wait and share the result.
  domain::Result<std::shared_ptr<const CachedBody>> Get(const std::string& key,
                                                        std::int64_t version, const Build& build);

  // The cached body if it is at least `version` and `req` already has it (a 304 can be
  // answered), else null; never builds or waits for a build. Counts a hit only when it answers,
  // since otherwise the request goes on to Get.
  std::shared_ptr<const CachedBody> FindUnchanged(const std::string& key, std::int64_t version,
                                                  const Request& req);

  std::size_t bytes() const;
  std::uint64_t hits() const;
  std::uint64_t misses() const;

 private:
  struct Slot {
    std::shared_ptr<const CachedBody> body;
    bool building = false;
    std::list<std::string>::iterator lru;  // valid while body is set
  };
  void Store(const std::string& key, std::shared_ptr<const CachedBody> body);

  const std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::condition_variable built_;
  std::unordered_map<std::string, Slot> slots_;
  std::list<std::string> lru_;  // most recently used first
  std::size_t bytes_ = 0;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

// Whether If-None-Match names the representation `req` gets (gzip or not) of `body`.
bool NotModified(const Request& req, const CachedBody& body);

// 200 with the body in the envelope (gzip when the client accepts it), or 304 when
// If-None-Match names the representation's ETag. Carries ETag, Vary and Cache-Control.
Response CachedJsonResponse(const Request& req, const CachedBody& body);

}  // namespace evently::http
