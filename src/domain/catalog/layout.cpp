#include "domain/catalog/layout.hpp"

#include "domain/catalog/search_text.hpp"
#include "domain/text.hpp"

namespace evently::domain {

bool SameNameIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && FoldCase(a) == FoldCase(b);
}

std::int64_t SeatCount(const std::vector<SectionLayout>& sections) {
  std::int64_t total = 0;
  for (const SectionLayout& s : sections) {
    total += static_cast<std::int64_t>(s.rows.size()) * s.seats_per_row;
  }
  return total;
}

std::vector<FieldIssue> ValidateLayout(const std::vector<SectionLayout>& sections,
                                       std::string_view path) {
  std::vector<FieldIssue> issues;
  std::string base(path);
  if (sections.empty()) {
    issues.push_back({base, "must have at least one section"});
    return issues;
  }
  if (sections.size() > kMaxSections) {
    issues.push_back({base, "must have at most " + std::to_string(kMaxSections) + " sections"});
    return issues;
  }
  for (std::size_t i = 0; i < sections.size(); ++i) {
    const SectionLayout& s = sections[i];
    std::string at = base + "[" + std::to_string(i) + "]";
    if (auto issue = DisplayNameIssue(s.name)) issues.push_back({at + ".name", *issue});
    for (std::size_t j = 0; j < i; ++j) {
      if (SameNameIgnoringCase(sections[j].name, s.name)) {
        issues.push_back({at + ".name", "repeats the name of section " + std::to_string(j)});
        break;
      }
    }
    if (s.rows.empty() || s.rows.size() > kMaxRowsPerSection) {
      issues.push_back({at + ".rows",
                        "must have between 1 and " + std::to_string(kMaxRowsPerSection) + " rows"});
    }
    for (std::size_t r = 0; r < s.rows.size(); ++r) {
      std::string row_at = at + ".rows[" + std::to_string(r) + "]";
      if (s.rows[r].empty()) issues.push_back({row_at, "must not be empty"});
      for (std::size_t q = 0; q < r; ++q) {
        if (SameNameIgnoringCase(s.rows[q], s.rows[r])) {
          issues.push_back({row_at, "repeats row '" + s.rows[q] + "' of this section"});
          break;
        }
      }
    }
    if (s.seats_per_row < 1 || s.seats_per_row > kMaxSeatsPerRow) {
      issues.push_back(
          {at + ".seats_per_row", "must be between 1 and " + std::to_string(kMaxSeatsPerRow)});
    }
    if (s.price < 0 || s.price > kMaxTicketPrice) {
      issues.push_back(
          {at + ".price", "must be between 0 and " + std::to_string(kMaxTicketPrice / 100)});
    }
  }
  if (issues.empty() && SeatCount(sections) > kMaxSeatsPerEvent) {
    issues.push_back(
        {base, "must not have more than " + std::to_string(kMaxSeatsPerEvent) + " seats in all"});
  }
  return issues;
}

std::vector<Section> NumberSections(const std::vector<SectionLayout>& sections) {
  std::vector<Section> out;
  out.reserve(sections.size());
  for (std::size_t i = 0; i < sections.size(); ++i) {
    Section section;
    section.position = static_cast<std::int64_t>(i + 1);
    section.layout = sections[i];
    section.seat_count =
        static_cast<std::int64_t>(sections[i].rows.size()) * sections[i].seats_per_row;
    section.available = section.seat_count;
    out.push_back(std::move(section));
  }
  return out;
}

}  // namespace evently::domain
