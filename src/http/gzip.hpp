// gzip answers assembled from separately compressed parts, so a large cached part is
// compressed once and reused while a small per-request part (envelope, timestamp) is fresh.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace evently::http {

// Raw DEFLATE of one part. A part that is not last ends on a byte boundary (sync flush), so
// parts compressed apart can be laid end to end as one stream.
struct DeflatedPart {
  std::string bytes;
  std::uint32_t crc = 0;   // CRC-32 of the uncompressed part
  std::uint64_t size = 0;  // uncompressed length
};

DeflatedPart Deflate(std::string_view data, bool last, int level = 6);
// One gzip member (RFC 1952) from parts in order, the last one compressed with last=true.
std::string GzipMember(std::initializer_list<const DeflatedPart*> parts);

// Whether an Accept-Encoding header admits gzip (q > 0, directly or through "*").
bool AcceptsGzip(std::optional<std::string_view> accept_encoding);

}  // namespace evently::http
