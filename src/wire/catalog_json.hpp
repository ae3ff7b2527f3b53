// JSON of the catalogue: admin request bodies in, venues, events and seat maps out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/catalog/models.hpp"
#include "domain/error.hpp"
#include "domain/time.hpp"

namespace evently::wire {

domain::Result<domain::Venue> DecodeNewVenue(std::string_view body);
// At least one field; absent ones stay unchanged.
domain::Result<domain::VenueChanges> DecodeVenueChanges(std::string_view body);
domain::Result<domain::NewEvent> DecodeNewEvent(std::string_view body);
// At least one field; `prices` is an object of section name -> price.
domain::Result<domain::EventChanges> DecodeEventChanges(std::string_view body);

std::string VenueJson(const domain::Venue& venue);
std::string VenueListJson(const std::vector<domain::Venue>& venues);
// As GET /events/{id}: the full venue, price tiers, status at `now`.
std::string EventDetailsJson(const domain::EventDetails& details, domain::TimePoint now);
std::string EventListJson(const std::vector<domain::EventListing>& events, domain::TimePoint now);
std::string SeatMapJson(const domain::SeatMap& map);

}  // namespace evently::wire
