// UTF-8 checks shared by body decoding (wire/) and the domain's own field rules.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace evently::domain {

// Well-formed UTF-8 (RFC 3629): no overlong forms, surrogates or code points past U+10FFFF.
bool IsValidUtf8(std::string_view text);
// Code points; invalid UTF-8 counts as npos.
std::size_t Utf8Length(std::string_view text);

// What is wrong with `name` as a name shown to others (a user's full name, a venue's, an event's,
// a price tier's), or nothing: it must be valid UTF-8 with at least one visible character, and
// hold none of what makes shown text lie about itself: control characters, bidirectional
// embeddings, overrides and isolates ("Trojan Source", CVE-2021-42574), zero-width spaces, or
// zero-width joiners outside a word (emoji sequences and scripts that need them keep them).
std::optional<std::string> DisplayNameIssue(std::string_view name);

}  // namespace evently::domain
