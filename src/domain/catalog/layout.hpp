// Seat layout rules: what a valid layout is, and the seats it generates.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/catalog/models.hpp"
#include "domain/error.hpp"

namespace evently::domain {

inline constexpr std::size_t kMaxSections = 100;
inline constexpr std::size_t kMaxRowsPerSection = 1000;
inline constexpr std::int64_t kMaxSeatsPerRow = 1000;
inline constexpr std::int64_t kMaxSeatsPerEvent = 200'000;
inline constexpr std::int64_t kMaxTicketPrice = 100'000'000;  // 1,000,000.00 in minor units
inline constexpr std::size_t kMaxSectionNameChars = 50;
inline constexpr std::size_t kMaxRowLabelChars = 10;

// Problems of a layout (empty, duplicate section or row names, seats per row out of range,
// too many seats), as fields under `path` ("seat_configuration.sections").
std::vector<FieldIssue> ValidateLayout(const std::vector<SectionLayout>& sections,
                                       std::string_view path);
std::int64_t SeatCount(const std::vector<SectionLayout>& sections);
// Sections numbered 1.. in the given order, every seat available.
std::vector<Section> NumberSections(const std::vector<SectionLayout>& sections);

// Every seat of a layout: sections and rows in the given order (positions 1-based), seats
// numbered 1..seats_per_row.
template <typename Visit>
void ForEachSeat(const std::vector<Section>& sections, Visit&& visit) {
  for (const Section& section : sections) {
    for (std::size_t row = 0; row < section.layout.rows.size(); ++row) {
      for (std::int64_t number = 1; number <= section.layout.seats_per_row; ++number) {
        visit(section.position, static_cast<std::int64_t>(row + 1), section.layout.rows[row],
              number);
      }
    }
  }
}

// Names that differ only in letter case are the same section or row to a customer.
bool SameNameIgnoringCase(std::string_view a, std::string_view b);

}  // namespace evently::domain
