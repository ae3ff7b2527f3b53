// SHA-256 as lower-case hex (refresh-token storage, request fingerprints).
#pragma once

#include <string>
#include <string_view>

namespace evently::security {

std::string Sha256Hex(std::string_view data);

}  // namespace evently::security
