#include "http/routes.hpp"

#include "http/handlers/bookings/booking_handlers.hpp"
#include "http/handlers/notifications/notification_handlers.hpp"
#include "http/handlers/ops/ops_handlers.hpp"
#include "http/handlers/waitlist/waitlist_handlers.hpp"

namespace evently::http {

void AddRoutes(Router& router, const Services& s) {
  namespace h = handlers;
  // method, pattern, handler, access, rate class, idempotent, inline on the I/O thread
  router.Add({"GET", "/health", h::HealthGet(), Access::kPublic, RateClass::kNone, false, true});
  router.Add({"GET", "/ready", h::ReadyGet(s.health), Access::kPublic, RateClass::kNone});
  router.Add({"GET", "/metrics", h::MetricsGet(s.metrics), Access::kPublic, RateClass::kNone, false,
              true});
  router.Add({"GET", "/api/v1", h::ApiRootGet(), Access::kPublic, RateClass::kPublic, false, true});

  // Bookings (CONTRACT.md: Bookings, Idempotency).
  constexpr auto kUser = Access::kUser;
  router.Add(
      {"POST", "/api/v1/bookings", h::BookingsPost(s.bookings), kUser, RateClass::kBooking, true});
  router.Add({"GET", "/api/v1/bookings/{booking_id}", h::BookingsGet(s.bookings), kUser,
              RateClass::kAuthenticated});
  router.Add({"DELETE", "/api/v1/bookings/{booking_id}", h::BookingsDelete(s.bookings), kUser,
              RateClass::kBooking, true});
  router.Add({"POST", "/api/v1/bookings/{booking_id}/confirm", h::BookingsConfirmPost(s.bookings),
              kUser, RateClass::kBooking, true});
  router.Add({"GET", "/api/v1/users/bookings", h::UsersBookingsGet(s.bookings), kUser,
              RateClass::kAuthenticated});
  router.Add({"GET", "/api/v1/payments/initiate/{booking_id}", h::PaymentsInitiate(s.bookings),
              kUser, RateClass::kAuthenticated});
  router.Add({"POST", "/api/v1/payments/initiate/{booking_id}", h::PaymentsInitiate(s.bookings),
              kUser, RateClass::kAuthenticated, true});

  // Waitlist and notifications (CONTRACT.md: Waitlist). /ws/events/{id} is served by realtime/.
  router.Add({"POST", "/api/v1/waitlist/join", h::WaitlistJoinPost(s.waitlist), kUser,
              RateClass::kAuthenticated});
  router.Add({"GET", "/api/v1/waitlist", h::WaitlistListGet(s.waitlist), kUser,
              RateClass::kAuthenticated});
  router.Add({"GET", "/api/v1/waitlist/{waitlist_id}", h::WaitlistGet(s.waitlist), kUser,
              RateClass::kAuthenticated});
  router.Add({"DELETE", "/api/v1/waitlist/{waitlist_id}", h::WaitlistDelete(s.waitlist), kUser,
              RateClass::kAuthenticated});
  router.Add({"GET", "/api/v1/users/notifications", h::UsersNotificationsGet(s.notifications),
              kUser, RateClass::kAuthenticated});
  router.Add({"POST", "/api/v1/users/notifications/{notification_id}/read",
              h::UsersNotificationsReadPost(s.notifications), kUser, RateClass::kAuthenticated});
}

}  // namespace evently::http
