// UTF-8 checks shared by body decoding (wire/) and the domain's own field rules.
#pragma once

#include <cstddef>
#include <string_view>

namespace evently::domain {

bool IsValidUtf8(std::string_view text);
// Code points; invalid UTF-8 counts as npos.
std::size_t Utf8Length(std::string_view text);

}  // namespace evently::domain
