// Names shown to others (users, venues, events, price tiers): what they may hold.
#include <gtest/gtest.h>

#include <string>

#include "domain/text.hpp"

namespace evently::domain {
namespace {

TEST(DisplayName, KeepsNamesOfEveryScriptAndEmojiSequences) {
  for (const char* name : {
           "Zoë Ωmega 山田太郎", "Ada Lovelace",
           "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  // Persian needs ZWNJ
           "\u0915\u094d\u200d\u0937",                          // Devanagari half form, ZWJ
           "\U0001F468\u200d\U0001F469\u200d\U0001F467",        // family emoji, ZWJ
           "\u2764\ufe0f\u200d\U0001F525 Fest",                 // heart on fire, VS16 + ZWJ
           "\u200f\u05e9\u05dc\u05d5\u05dd",                    // RLM, then Hebrew
       }) {
    EXPECT_EQ(DisplayNameIssue(name), std::nullopt) << name;
  }
}

TEST(DisplayName, RefusesControlCharacters) {
  for (std::string name :
       {std::string("line\nbreak"), std::string("tab\there"), std::string("nul\0x", 5),
        std::string("del\x7f"), std::string("c1 \u0085 next line"), std::string("para\u2029sep")}) {
    EXPECT_EQ(DisplayNameIssue(name), "must not contain control characters") << name;
  }
}

TEST(DisplayName, RefusesBidiEmbeddingsOverridesAndIsolates) {
  // U+202A..U+202E and U+2066..U+2069: "Trojan Source" reordering.
  for (const char* name :
       {"invoice\u202Efdp.exe", "\u202Ax", "x\u202C", "\u2066x\u2069", "x\u2068"}) {
    EXPECT_EQ(DisplayNameIssue(name),
              "must not contain bidirectional embedding, override or isolate characters")
        << name;
  }
}

TEST(DisplayName, RefusesZeroWidthSpacesAndJoinersOutsideAWord) {
  for (const char* name : {"ad\u200bmin", "\ufeffadmin", "ad\u2060min"}) {
    EXPECT_EQ(DisplayNameIssue(name), "must not contain zero-width spaces") << name;
  }
  for (const char* name : {"\u200dadmin", "admin\u200c", "ad \u200dmin", "ad\u200d min",
                           "ad\u200d\u200dmin", "\u200d"}) {
    EXPECT_EQ(DisplayNameIssue(name), "must not contain a zero-width joiner outside a word")
        << name;
  }
}

TEST(DisplayName, NeedsAVisibleCharacter) {
  EXPECT_EQ(DisplayNameIssue(""), "must not be empty");
  // Spaces (ASCII, no-break, ideographic), a direction mark, Hangul fillers, the blank Braille
  // pattern, a soft hyphen, a variation selector.
  for (const char* name :
       {" ", "\u00a0", "\u3000", "\u200e", "\u3164\u3164", "\u2800", "\u00ad", "\ufe0f"}) {
    EXPECT_EQ(DisplayNameIssue(name), "must contain a visible character") << name;
  }
}

TEST(DisplayName, RefusesMalformedUtf8) {
  for (std::string name : {std::string("\xff"), std::string("a\xc3"),
                           std::string("\xc0\x80"),          // overlong NUL
                           std::string("\xe0\x80\xaf"),      // overlong '/'
                           std::string("\xed\xa0\x80"),      // a surrogate
                           std::string("\xf4\x90\x80\x80"),  // past U+10FFFF
                           std::string("\xf8\x88\x80\x80\x80")}) {
    EXPECT_EQ(DisplayNameIssue(name), "must be valid UTF-8");
    EXPECT_FALSE(IsValidUtf8(name));
  }
  EXPECT_TRUE(IsValidUtf8("\U0010FFFF"));
  EXPECT_TRUE(IsValidUtf8("\uD7FF"));
}

}  // namespace
}  // namespace evently::domain
