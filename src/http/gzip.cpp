#include "http/gzip.hpp"

#include <zlib.h>

#include <cctype>
#include <stdexcept>
#include <vector>

namespace evently::http {
namespace {

constexpr std::size_t kStoredLimit = 512;

}  // namespace

DeflatedPart Deflate(std::string_view data, bool last, int level) {
  DeflatedPart part;
  part.size = data.size();
  part.crc = static_cast<std::uint32_t>(
      crc32_z(0, reinterpret_cast<const Bytef*>(data.data()), data.size()));
  if (data.size() <= kStoredLimit) {
    // A stored block: no zlib state to set up for the few bytes of an envelope.
    auto n = static_cast<std::uint16_t>(data.size());
    part.bytes.push_back(last ? '\x01' : '\x00');
    for (std::uint16_t word : {n, static_cast<std::uint16_t>(~n)}) {
      part.bytes.push_back(static_cast<char>(word & 0xff));
      part.bytes.push_back(static_cast<char>(word >> 8));
    }
    part.bytes.append(data);
    return part;
  }
  z_stream zs{};
  // Negative window bits: raw DEFLATE, the gzip header and trailer are written by GzipMember.
  if (deflateInit2(&zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  part.bytes.resize(deflateBound(&zs, data.size()) + 16);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(part.bytes.data());
  zs.avail_out = static_cast<uInt>(part.bytes.size());
  int rc = deflate(&zs, last ? Z_FINISH : Z_SYNC_FLUSH);
  part.bytes.resize(part.bytes.size() - zs.avail_out);
  deflateEnd(&zs);
  if (rc != (last ? Z_STREAM_END : Z_OK)) throw std::runtime_error("deflate failed");
  return part;
}

std::string GzipMember(std::initializer_list<const DeflatedPart*> parts) {
  static constexpr unsigned char kHeader[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
  std::string out(reinterpret_cast<const char*>(kHeader), sizeof kHeader);
  uLong crc = 0;
  std::uint64_t size = 0;
  std::size_t bytes = 0;
  for (const DeflatedPart* part : parts) bytes += part->bytes.size();
  out.reserve(out.size() + bytes + 8);
  for (const DeflatedPart* part : parts) {
    out += part->bytes;
    crc = crc32_combine(crc, part->crc, static_cast<z_off_t>(part->size));
    size += part->size;
  }
  for (std::uint64_t word : {static_cast<std::uint64_t>(crc), size & 0xffffffffu}) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((word >> (8 * i)) & 0xff));
  }
  return out;
}

bool AcceptsGzip(std::optional<std::string_view> accept_encoding) {
  if (!accept_encoding) return false;
  std::string_view rest = *accept_encoding;
  bool gzip = false, star = false, gzip_listed = false;
  while (!rest.empty()) {
    std::size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    std::string lower;
    for (char c : item) {
      if (c == ' ' || c == '\t') continue;
      lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    std::string_view coding = std::string_view(lower).substr(0, lower.find(';'));
    bool refused = lower.find(";q=0") != std::string::npos &&
                   lower.find_first_not_of("0.", lower.find(";q=0") + 3) == std::string::npos;
    if (coding == "gzip" || coding == "x-gzip") {
      gzip_listed = true;
      gzip = !refused;
    } else if (coding == "*") {
      star = !refused;
    }
  }
  return gzip || (!gzip_listed && star);
}

}  // namespace evently::http
