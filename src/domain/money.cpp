#include "domain/money.hpp"

namespace evently::domain {

std::string FormatMinorUnits(std::int64_t minor_units) {
  std::string out;
  std::uint64_t magnitude = minor_units < 0 ? 0 - static_cast<std::uint64_t>(minor_units)
                                            : static_cast<std::uint64_t>(minor_units);
  if (minor_units < 0) out.push_back('-');
  out += std::to_string(magnitude / 100);
  out.push_back('.');
  std::uint64_t cents = magnitude % 100;
  out.push_back(static_cast<char>('0' + cents / 10));
  out.push_back(static_cast<char>('0' + cents % 10));
  return out;
}

}  // namespace evently::domain
