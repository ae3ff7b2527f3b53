#include "domain/text.hpp"

#include <algorithm>

namespace evently::domain {
namespace {

// The code point starting at `pos`, which moves past it; none for malformed UTF-8.
std::optional<char32_t> NextCodePoint(std::string_view text, std::size_t& pos) {
  auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  if ((lead >> 6) != 0x3 || lead >= 0xf8) return std::nullopt;  // a continuation, or too long
  std::size_t extra = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : 1;
  if (text.size() - pos <= extra) return std::nullopt;
  char32_t cp = lead & (0x3fU >> extra);
  for (std::size_t k = 1; k <= extra; ++k) {
    auto next = static_cast<unsigned char>(text[pos + k]);
    if ((next >> 6) != 0x2) return std::nullopt;
    cp = (cp << 6) | (next & 0x3fU);
  }
  constexpr char32_t kShortest[] = {0, 0x80, 0x800, 0x10000};  // below: an overlong form
  if (cp < kShortest[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    return std::nullopt;
  }
  pos += extra + 1;
  return cp;
}

enum class Glyph {
  kVisible,
  kSpace,      // white space: fine between words, not a name on its own
  kInvisible,  // formatting that shows nothing (marks, fillers, variation selectors, tags)
  kJoiner,     // ZWNJ, ZWJ: needed inside words of some scripts and in emoji sequences
  kZeroWidthSpace,
  kBidiControl,
  kControl,
};

Glyph Classify(char32_t c) {
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) return Glyph::kControl;
  if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return Glyph::kBidiControl;
  if (c == 0x200b || c == 0x2060 || c == 0xfeff || c == 0x180e || (c >= 0x2061 && c <= 0x2064)) {
    return Glyph::kZeroWidthSpace;
  }
  if (c == 0x200c || c == 0x200d) return Glyph::kJoiner;
  if (c == 0x20 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x202f ||
      c == 0x205f || c == 0x3000) {
    return Glyph::kSpace;
  }
  // Soft hyphen, grapheme joiner, Arabic and LTR/RTL marks, Hangul fillers, the blank Braille
  // pattern, Khmer's invisible vowels, variation selectors, tags.
  if (c == 0xad || c == 0x34f || c == 0x61c || c == 0x200e || c == 0x200f || c == 0x115f ||
      c == 0x1160 || c == 0x3164 || c == 0xffa0 || c == 0x2800 || c == 0x17b4 || c == 0x17b5 ||
      (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xe0000 && c <= 0xe007f) ||
      (c >= 0xe0100 && c <= 0xe01ef)) {
    return Glyph::kInvisible;
  }
  return Glyph::kVisible;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    if (!NextCodePoint(text, pos)) return false;
  }
  return true;
}

std::size_t Utf8Length(std::string_view text) {
  if (!IsValidUtf8(text)) return std::string_view::npos;
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) >> 6) != 0x2;
  }));
}

std::optional<std::string> DisplayNameIssue(std::string_view name) {
  if (name.empty()) return "must not be empty";
  bool visible = false;
  // A joiner joins two parts of a word: neither end of the name, white space nor another joiner.
  auto joins_nothing = [](Glyph g) { return g == Glyph::kSpace || g == Glyph::kJoiner; };
  Glyph before = Glyph::kSpace;
  bool joiner_pending = false;
  for (std::size_t pos = 0; pos < name.size();) {
    std::optional<char32_t> cp = NextCodePoint(name, pos);
    if (!cp) return "must be valid UTF-8";
    Glyph glyph = Classify(*cp);
    switch (glyph) {
      case Glyph::kControl:
        return "must not contain control characters";
      case Glyph::kBidiControl:
        return "must not contain bidirectional embedding, override or isolate characters";
      case Glyph::kZeroWidthSpace:
        return "must not contain zero-width spaces";
      case Glyph::kJoiner:
        if (joins_nothing(before)) return "must not contain a zero-width joiner outside a word";
        joiner_pending = true;
        break;
      default:
        if (joiner_pending && joins_nothing(glyph)) {
          return "must not contain a zero-width joiner outside a word";
        }
        joiner_pending = false;
        visible = visible || glyph == Glyph::kVisible;
    }
    before = glyph;
  }
  if (joiner_pending) return "must not contain a zero-width joiner outside a word";
  if (!visible) return "must contain a visible character";
  return std::nullopt;
}

}  // namespace evently::domain
