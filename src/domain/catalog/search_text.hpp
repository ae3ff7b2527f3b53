// Case folding for catalogue search, done here so both engines match exactly the same way.
#pragma once

#include <string>
#include <string_view>

namespace evently::domain {

// Lower-cases ASCII and the cased letters of Latin-1, Latin Extended-A, Greek and Cyrillic;
// everything else is kept as it is. Invalid UTF-8 bytes pass through unchanged.
std::string FoldCase(std::string_view text);

// The text an event is searched by: its name and description, folded, kept apart by a
// separator no search term can contain, so a match never spans both.
std::string EventSearchText(std::string_view name, std::string_view description);
inline constexpr char kSearchSeparator = '\x1f';

}  // namespace evently::domain
