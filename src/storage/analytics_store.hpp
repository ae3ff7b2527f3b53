#pragma once

#include "domain/ports/analytics.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

class AnalyticsStore final : public domain::AnalyticsStore {
 public:
  explicit AnalyticsStore(Database& db) : db_(db) {}
  std::vector<domain::DayActivity> Daily(const domain::DayRange& range,
                                         const std::optional<std::string>& event_id) override;
  std::vector<domain::EventActivity> Events(const domain::DayRange& range) override;
  std::vector<domain::TierActivity> Tiers(const domain::DayRange& range,
                                          const std::optional<std::string>& event_id) override;
  std::optional<domain::EventState> Event(const std::string& event_id) override;

 private:
  Database& db_;
};

}  // namespace evently::storage
