// The catalogue port on SQLite and PostgreSQL: venues, events, sections, seats, seat maps.
#pragma once

#include "domain/ports/catalog.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

class CatalogStoreSql final : public domain::CatalogStore {
 public:
  explicit CatalogStoreSql(Database& db) : db_(db) {}

  void InsertVenue(const domain::Venue& venue) override;
  bool UpdateVenue(const domain::Venue& venue) override;
  std::optional<domain::Venue> FindVenue(std::string_view id) override;
  domain::Page<domain::Venue> ListVenues(const domain::PageRequest& page) override;
  std::int64_t LargestLiveEventCapacity(std::string_view venue_id, domain::TimePoint now) override;

  void InsertEvent(const domain::Event& event) override;
  std::optional<domain::EventDetails> FindEvent(std::string_view id) override;
  domain::Page<domain::EventListing> ListEvents(const domain::EventFilter& filter,
                                                const domain::PageRequest& page) override;
  domain::EventWrite UpdateEvent(const domain::EventUpdate& update) override;
  bool MarkEventCancelled(std::string_view id, domain::TimePoint now) override;

  std::optional<std::int64_t> SeatVersion(std::string_view event_id) override;
  std::optional<domain::SeatMap> LoadSeatMap(std::string_view event_id,
                                             const domain::SeatMapQuery& query) override;

 private:
  Database& db_;
};

}  // namespace evently::storage
