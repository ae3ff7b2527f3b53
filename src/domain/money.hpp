// Money as text: integer minor units rendered with two decimals (500.00), for JSON and messages.
#pragma once

#include <cstdint>
#include <string>

namespace evently::domain {

std::string FormatMinorUnits(std::int64_t minor_units);

}  // namespace evently::domain
