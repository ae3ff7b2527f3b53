// The catalogue's rules: venues, creating and changing events, browsing, seat maps.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "domain/catalog/models.hpp"
#include "domain/error.hpp"
#include "domain/paging.hpp"
#include "domain/ports/catalog.hpp"
#include "domain/time.hpp"

namespace evently::domain {

inline constexpr std::int64_t kMaxVenueCapacity = 1'000'000;
inline constexpr std::size_t kMaxSearchChars = 100;
inline constexpr std::int64_t kMaxTicketsPerUserLimit = 100;  // the highest max_tickets_per_user

// What else must happen when an event is cancelled (the booking engine releases holds,
// refunds confirmed bookings, notifies holders and the waitlist).
class EventCancellationListener {
 public:
  virtual ~EventCancellationListener() = default;
  // Runs after every cancel call, the first and any repeated one, so it must be idempotent:
  // a repeated cancel then finishes what an interrupted one left undone.
  virtual void EventCancelled(const EventDetails& event, TimePoint now) = 0;
};

// Told after every catalogue change committed through the service (venues and events
// created, changed, cancelled), e.g. so per-node caches of browsing answers drop what they hold.
class CatalogChangeListener {
 public:
  virtual ~CatalogChangeListener() = default;
  virtual void CatalogChanged() = 0;
};

class CatalogService {
 public:
  CatalogService(CatalogStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Listeners are registered while wiring, before requests are served.
  void AddCancellationListener(EventCancellationListener& listener) {
    cancellation_listeners_.push_back(&listener);
  }
  void AddChangeListener(CatalogChangeListener& listener) {
    change_listeners_.push_back(&listener);
  }

  Result<Venue> CreateVenue(Venue draft);  // draft.id set: a fixed id (demo data)
  Result<Venue> UpdateVenue(std::string_view id, const VenueChanges& changes);
  Result<Venue> GetVenue(std::string_view id);
  Page<Venue> ListVenues(const PageRequest& page);

  Result<EventDetails> CreateEvent(const NewEvent& draft);
  Result<EventDetails> UpdateEvent(std::string_view id, const EventChanges& changes);
  Result<EventDetails> CancelEvent(std::string_view id);
  Result<EventDetails> GetEvent(std::string_view id);
  Result<Page<EventListing>> ListEvents(const EventQuery& query, const PageRequest& page);

  Result<std::int64_t> SeatVersion(std::string_view event_id);
  Result<SeatMap> GetSeatMap(std::string_view event_id, const SeatMapQuery& query);

 private:
  Result<EventUpdate> PlanUpdate(const EventDetails& current, const EventChanges& changes,
                                 TimePoint now) const;

  CatalogStore& store_;
  const Clock& clock_;
  void Changed() const;

  std::vector<EventCancellationListener*> cancellation_listeners_;
  std::vector<CatalogChangeListener*> change_listeners_;
};

// A currency as ISO 4217 writes it: three upper-case letters.
bool IsCurrencyCode(std::string_view code);

}  // namespace evently::domain
