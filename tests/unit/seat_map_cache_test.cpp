// Seat map cache: versions, single build under concurrency, eviction, gzip assembly,
// conditional requests.
#include "http/seat_map_cache.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <thread>

#include "http/gzip.hpp"

namespace evently::http {
namespace {

std::string Gunzip(const std::string& compressed) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 16 + 15), Z_OK);
  std::string out(1 << 20, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.avail_in = static_cast<uInt>(compressed.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&zs, Z_FINISH);
  out.resize(out.size() - zs.avail_out);
  inflateEnd(&zs);
  EXPECT_EQ(rc, Z_STREAM_END);  // also verifies the CRC and length in the trailer
  return out;
}

SeatMapCache::Build Builder(std::int64_t version, std::string json, std::atomic<int>& builds) {
  return [version, json, &builds]() -> SeatMapCache::Build::result_type {
    ++builds;
    return std::make_pair(version, json);
  };
}

Request RequestWith(Fields headers) {
  Request req;
  req.headers = std::move(headers);
  req.now = domain::FromEpochMillis(1'700'000'000'000);
  return req;
}

TEST(Gzip, PartsCompressedApartMakeOneValidMember) {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += R"({"seat":)" + std::to_string(i) + "},";
  DeflatedPart open = Deflate("{\"data\":[", false);
  DeflatedPart middle = Deflate(big, false);
  DeflatedPart close = Deflate("0]}", true);
  std::string member = GzipMember({&open, &middle, &close});
  EXPECT_LT(member.size(), big.size() / 4);
  EXPECT_EQ(Gunzip(member), "{\"data\":[" + big + "0]}");
}

TEST(Gzip, ReadsAcceptEncodingLikeAClient) {
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("deflate, GZIP;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip(std::nullopt));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip; q=0.000, *"));
  EXPECT_FALSE(AcceptsGzip("*;q=0"));
}

TEST(SeatMapCache, ServesAVersionUntilANewerOneIsAskedFor) {
  SeatMapCache cache(1 << 20);
  std::atomic<int> builds = 0;
  auto v1 = cache.Get("k", 1, Builder(1, R"({"v":1})", builds));
  auto again = cache.Get("k", 1, Builder(1, "unused", builds));
  auto older = cache.Get("k", 0, Builder(0, "unused", builds));
  EXPECT_EQ(builds, 1);
  EXPECT_EQ((*again)->data_json(), R"({"v":1})");
  EXPECT_EQ((*older)->etag(), (*v1)->etag());
  auto v2 = cache.Get("k", 2, Builder(2, R"({"v":2})", builds));
  EXPECT_EQ(builds, 2);
  EXPECT_NE((*v2)->etag(), (*v1)->etag());
  EXPECT_NE((*v2)->gzip_etag(), (*v2)->etag());
  EXPECT_NE(SeatMapCache::Key("e", {}),
            SeatMapCache::Key("e", {std::nullopt, std::nullopt, std::nullopt}));
  domain::SeatMapQuery vip;
  vip.section = "VIP";
  domain::SeatMapQuery vip_lower;
  vip_lower.section = "vip";
  EXPECT_EQ(SeatMapCache::Key("e", vip), SeatMapCache::Key("e", vip_lower));
}

// The I/O thread's revalidation: a body only when a 304 can be answered, and a hit counted only
// then (a request it cannot answer goes on to Get, which counts its own).
TEST(SeatMapCache, FindUnchangedAnswersOnlyRevalidationsItCanAnswer) {
  SeatMapCache cache(1 << 20);
  std::atomic<int> builds = 0;
  auto v1 = cache.Get("k", 1, Builder(1, R"({"v":1})", builds));
  std::uint64_t hits = cache.hits();
  Request same = RequestWith({{"if-none-match", (*v1)->etag()}});
  Request other = RequestWith({{"if-none-match", "\"other\""}});
  EXPECT_EQ(cache.FindUnchanged("k", 1, other), nullptr);
  EXPECT_EQ(cache.FindUnchanged("k", 2, same), nullptr);  // a newer version is asked for
  EXPECT_EQ(cache.FindUnchanged("missing", 1, same), nullptr);
  EXPECT_EQ(cache.hits(), hits);
  EXPECT_EQ(cache.FindUnchanged("k", 1, same), *v1);
  EXPECT_EQ(cache.hits(), hits + 1);
  EXPECT_EQ(builds, 1);
}

TEST(SeatMapCache, ConcurrentMissesBuildOnce) {
  SeatMapCache cache(1 << 20);
  std::atomic<int> builds = 0;
  auto slow = [&]() -> SeatMapCache::Build::result_type {
    ++builds;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return std::make_pair(std::int64_t{7}, std::string("{}"));
  };
  std::vector<std::thread> threads;
  std::atomic<int> served = 0;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (cache.Get("k", 7, slow).ok()) ++served;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(builds, 1);
  EXPECT_EQ(served, 8);
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.hits(), 7u);
}

TEST(SeatMapCache, AFailedBuildIsNotCachedAndFreesTheKey) {
  SeatMapCache cache(1 << 20);
  auto failing = []() -> SeatMapCache::Build::result_type {
    return domain::MakeError(domain::ErrorCode::kEventNotFound);
  };
  EXPECT_FALSE(cache.Get("k", 1, failing).ok());
  auto throwing = []() -> SeatMapCache::Build::result_type { throw std::runtime_error("down"); };
  EXPECT_THROW((void)cache.Get("k", 1, throwing), std::runtime_error);
  std::atomic<int> builds = 0;
  EXPECT_TRUE(cache.Get("k", 1, Builder(1, "{}", builds)).ok());
  EXPECT_EQ(builds, 1);
}

TEST(SeatMapCache, EvictsTheLeastRecentlyUsedBeyondItsBudget) {
  SeatMapCache cache(100);
  std::atomic<int> builds = 0;
  std::string forty(40, 'x');
  (void)cache.Get("a", 1, Builder(1, forty, builds));
  (void)cache.Get("b", 1, Builder(1, forty, builds));
  (void)cache.Get("a", 1, Builder(1, forty, builds));  // a is now the most recent
  (void)cache.Get("c", 1, Builder(1, forty, builds));  // evicts b
  EXPECT_EQ(builds, 3);
  EXPECT_LE(cache.bytes(), 100u);
  (void)cache.Get("a", 1, Builder(1, forty, builds));
  EXPECT_EQ(builds, 3);
  (void)cache.Get("b", 1, Builder(1, forty, builds));
  EXPECT_EQ(builds, 4);
}

TEST(CachedJsonResponse, AnswersConditionalAndCompressedRequests) {
  SeatMapCache cache(1 << 20);
  std::atomic<int> builds = 0;
  auto body = *cache.Get("k", 3, Builder(3, R"({"seats":[1,2,3]})", builds));

  Response plain = CachedJsonResponse(RequestWith({}), *body);
  EXPECT_EQ(plain.status, 200);
  EXPECT_EQ(plain.body, R"({"success":true,"data":{"seats":[1,2,3]},"message":"Operation )"
                        R"(successful","timestamp":"2023-11-14T22:13:20Z"})");
  EXPECT_EQ(plain.Header("ETag"), body->etag());
  EXPECT_EQ(plain.Header("Vary"), "Accept-Encoding");
  EXPECT_FALSE(plain.Header("Content-Encoding"));

  Response zipped = CachedJsonResponse(RequestWith({{"accept-encoding", "gzip"}}), *body);
  EXPECT_EQ(zipped.Header("Content-Encoding"), "gzip");
  EXPECT_EQ(zipped.Header("ETag"), body->gzip_etag());
  EXPECT_EQ(Gunzip(zipped.body), plain.body);

  Response not_modified =
      CachedJsonResponse(RequestWith({{"if-none-match", "\"other\", " + body->etag()}}), *body);
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
  EXPECT_EQ(CachedJsonResponse(RequestWith({{"if-none-match", "*"}}), *body).status, 304);
  EXPECT_EQ(CachedJsonResponse(RequestWith({{"if-none-match", body->gzip_etag()}}), *body).status,
            200);
}

}  // namespace
}  // namespace evently::http
