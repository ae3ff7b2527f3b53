#include "domain/ids.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <mutex>
#include <random>

namespace evently::domain {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// One OS-seeded generator per thread: UUIDs need uniqueness, not secrecy.
std::mt19937_64& ThreadRng() {
  thread_local std::mt19937_64 rng{[] {
    std::random_device device;
    std::seed_seq seq{device(), device(), device(), device()};
    return std::mt19937_64(seq);
  }()};
  return rng;
}

}  // namespace

std::string NewUuidV7(TimePoint now) {
  std::array<std::uint8_t, 16> b{};
  auto ms = static_cast<std::uint64_t>(ToEpochMillis(now));
  for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
  std::uint64_t r1 = ThreadRng()();
  std::uint64_t r2 = ThreadRng()();
  for (int i = 0; i < 2; ++i) b[6 + i] = static_cast<std::uint8_t>(r1 >> (8 * i));
  for (int i = 0; i < 8; ++i) b[8 + i] = static_cast<std::uint8_t>(r2 >> (8 * i));
  b[6] = static_cast<std::uint8_t>(0x70 | (b[6] & 0x0f));
  b[8] = static_cast<std::uint8_t>(0x80 | (b[8] & 0x3f));
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0f]);
  }
  return out;
}

UuidV7Sequence::UuidV7Sequence(TimePoint now) {
  std::string first = NewUuidV7(now);
  prefix_ = first.substr(0, 28);  // timestamp, version, rand_a and 30 random bits of rand_b
}

std::string UuidV7Sequence::Next() {
  std::string out = prefix_;
  out.resize(36);
  std::uint32_t n = counter_++;
  for (int i = 35; i >= 28; --i, n >>= 4) out[static_cast<std::size_t>(i)] = kHex[n & 0xf];
  return out;
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

std::string NormalizeUuid(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

namespace {

void RandomBytes(char* out, std::size_t bytes) {
  static std::mutex mu;
  static std::ifstream urandom("/dev/urandom", std::ios::binary);
  std::lock_guard lock(mu);
  urandom.read(out, static_cast<std::streamsize>(bytes));
}

}  // namespace

std::uint64_t RandomU64() {
  std::array<char, sizeof(std::uint64_t)> raw{};
  RandomBytes(raw.data(), raw.size());
  std::uint64_t value = 0;
  std::memcpy(&value, raw.data(), raw.size());
  return value;
}

std::string RandomHex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  RandomBytes(raw.data(), bytes);
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0x0f]);
  }
  return out;
}

}  // namespace evently::domain
