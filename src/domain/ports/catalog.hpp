// What the catalogue asks of the store: venues, events with their seats, seat maps.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "domain/catalog/models.hpp"
#include "domain/paging.hpp"

namespace evently::domain {

enum class EventWrite {
  kDone,
  kNotFound,
  kStale,        // changed by someone else since it was read: read again and retry
  kHasBookings,  // the layout cannot change: seats are held or sold, or bookings exist
};

// A change to an event, computed by the catalogue from the event as it was read.
struct EventUpdate {
  Event event;                    // the new state (sections numbered, counts set)
  TimePoint read_updated_at{};    // updated_at of the state it was computed from
  bool layout_changed = false;    // regenerate every seat (refused once any seat was sold)
  bool seat_map_changed = false;  // prices or layout: cached seat maps must be rebuilt
};

class CatalogStore {
 public:
  virtual ~CatalogStore() = default;

  virtual void InsertVenue(const Venue& venue) = 0;
  virtual bool UpdateVenue(const Venue& venue) = 0;  // false: no such venue
  virtual std::optional<Venue> FindVenue(std::string_view id) = 0;
  virtual Page<Venue> ListVenues(const PageRequest& page) = 0;
  // The largest capacity among the venue's events that are neither cancelled nor over.
  virtual std::int64_t LargestLiveEventCapacity(std::string_view venue_id, TimePoint now) = 0;

  // Inserts the event, its sections and every seat of the layout in one transaction.
  virtual void InsertEvent(const Event& event) = 0;
  virtual std::optional<EventDetails> FindEvent(std::string_view id) = 0;
  virtual Page<EventListing> ListEvents(const EventFilter& filter, const PageRequest& page) = 0;
  virtual EventWrite UpdateEvent(const EventUpdate& update) = 0;
  // Sets cancelled_at unless it is set already; false: no such event.
  virtual bool MarkEventCancelled(std::string_view id, TimePoint now) = 0;

  // events.seat_version: every committed change to the event's seats increments it.
  virtual std::optional<std::int64_t> SeatVersion(std::string_view event_id) = 0;
  // Seats, section counters and the version, all from one snapshot.
  virtual std::optional<SeatMap> LoadSeatMap(std::string_view event_id,
                                             const SeatMapQuery& query) = 0;
};

}  // namespace evently::domain
