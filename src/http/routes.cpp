#include "http/routes.hpp"

#include "http/handlers/admin_events/admin_events_handlers.hpp"
#include "http/handlers/admin_users/admin_users_handlers.hpp"
#include "http/handlers/analytics/analytics_handlers.hpp"
#include "http/handlers/auth/auth_handlers.hpp"
#include "http/handlers/bookings/booking_handlers.hpp"
#include "http/handlers/docs/docs_handlers.hpp"
#include "http/handlers/events/events_handlers.hpp"
#include "http/handlers/notifications/notification_handlers.hpp"
#include "http/handlers/ops/ops_handlers.hpp"
#include "http/handlers/queue/queue_handlers.hpp"
#include "http/handlers/users/users_handlers.hpp"
#include "http/handlers/venues/venues_handlers.hpp"
#include "http/handlers/waitlist/waitlist_handlers.hpp"
#include "http/handlers/web/web_handlers.hpp"

namespace evently::http {

void AddRoutes(Router& router, const Services& s) {
  namespace h = handlers;
  // method, pattern, handler, access, rate class, idempotent, inline on the I/O thread, I/O
  // thread first (Route::io_first)
  router.Add({"GET", "/health", h::HealthGet(), Access::kPublic, RateClass::kNone, false, true});
  router.Add({"GET", "/ready", h::ReadyGet(s.health), Access::kPublic, RateClass::kNone});
  router.Add({"GET", "/metrics", h::MetricsGet(s.metrics), Access::kPublic, RateClass::kNone, false,
              true});
  router.Add({"GET", "/api/v1", h::ApiRootGet(), Access::kPublic, RateClass::kPublic, false, true});

  // The API reference (docs/openapi.json) and its readable rendering, built into the binary.
  router.Add({"GET", "/api/v1/openapi.json", h::OpenApiGet(), Access::kPublic, RateClass::kPublic,
              false, true});
  router.Add({"GET", "/docs", h::DocsPageGet(), Access::kPublic, RateClass::kPublic, false, true});
  router.Add({"GET", "/docs/redoc.standalone.js", h::DocsScriptGet(), Access::kPublic,
              RateClass::kPublic, false, true});
  router.Add({"GET", "/docs/redoc.standalone.js.LICENSE.txt", h::DocsLicenseGet(), Access::kPublic,
              RateClass::kPublic, false, true});

  // The web app (web/, built into the binary): its shell, its hashed assets, and its client-side
  // routes, which never shadow the API's paths (see handlers/web).
  router.Add({"GET", "/", h::WebAppShellGet(), Access::kPublic, RateClass::kNone, false, true});
  router.Add({"GET", "/assets/{asset}", h::WebAppAssetGet(), Access::kPublic, RateClass::kNone,
              false, true});
  router.SetFallback(
      {"GET", "/{app_route}", h::WebAppRouteGet(), Access::kPublic, RateClass::kNone, false, true},
      h::WebAppReservedSegments());

  // Catalogue
  router.Add({"GET", "/api/v1/venues", h::VenuesList(s.catalog)});
  router.Add({"GET", "/api/v1/venues/{venue_id}", h::VenuesGet(s.catalog)});
  router.Add({"POST", "/api/v1/admin/venues", h::VenuesPost(s.catalog), Access::kAdmin,
              RateClass::kAdmin});
  router.Add({"PUT", "/api/v1/admin/venues/{venue_id}", h::VenuesPut(s.catalog), Access::kAdmin,
              RateClass::kAdmin});
  // Cache hits (and seat map 304s) are answered on the I/O thread (Route::io_first), the rest on
  // the worker pool.
  constexpr bool kIoFirst = true;
  router.Add({"GET", "/api/v1/events", h::EventsList(s.catalog, s.browse), Access::kPublic,
              RateClass::kPublic, false, false, kIoFirst});
  router.Add({"GET", "/api/v1/events/{event_id}", h::EventsGet(s.catalog, s.browse),
              Access::kPublic, RateClass::kPublic, false, false, kIoFirst});
  router.Add({"GET", "/api/v1/events/{event_id}/seats",
              h::EventSeatsGet(s.catalog, s.seat_maps, s.seat_versions), Access::kPublic,
              RateClass::kPublic, false, false, kIoFirst});
  router.Add({"POST", "/api/v1/admin/events", h::AdminEventsPost(s.catalog), Access::kAdmin,
              RateClass::kAdmin});
  router.Add({"PUT", "/api/v1/admin/events/{event_id}", h::AdminEventsPut(s.catalog),
              Access::kAdmin, RateClass::kAdmin});
  router.Add({"POST", "/api/v1/admin/events/{event_id}/cancel", h::AdminEventsCancelPost(s.catalog),
              Access::kAdmin, RateClass::kAdmin});

  // Identity
  router.Add({"POST", "/api/v1/auth/register", h::AuthRegister(s.auth)});
  router.Add({"POST", "/api/v1/auth/login", h::AuthLogin(s.auth)});
  router.Add({"POST", "/api/v1/auth/refresh", h::AuthRefresh(s.auth)});
  router.Add({"POST", "/api/v1/auth/logout", h::AuthLogout(s.auth)});
  router.Add({"GET", "/api/v1/users/profile", h::UsersProfileGet(s.accounts), Access::kUser,
              RateClass::kAuthenticated});
  router.Add({"PUT", "/api/v1/users/profile", h::UsersProfilePut(s.accounts), Access::kUser,
              RateClass::kAuthenticated});
  router.Add({"GET", "/api/v1/admin/users", h::AdminUsersGet(s.accounts), Access::kAdmin,
              RateClass::kAdmin});
  router.Add({"PUT", "/api/v1/admin/users/{user_id}/role", h::AdminUsersRolePut(s.accounts),
              Access::kAdmin, RateClass::kAdmin});

  // Bookings (CONTRACT.md: Bookings, Idempotency).
  constexpr auto kUser = Access::kUser;
  // Their Idempotency-Key is answered in the transaction of their change.
  router.Add({.method = "POST",
              .pattern = "/api/v1/bookings",
              .handler = h::BookingsPost(s.bookings, s.queue),
              .access = kUser,
              .rate_class = RateClass::kBooking,
              .idempotent = true,
              .keyed_in_store = true});
  router.Add({"GET", "/api/v1/bookings/{booking_id}", h::BookingsGet(s.bookings), kUser,
              RateClass::kAuthenticated});
  router.Add({.method = "DELETE",
              .pattern = "/api/v1/bookings/{booking_id}",
              .handler = h::BookingsDelete(s.bookings),
              .access = kUser,
              .rate_class = RateClass::kBooking,
              .idempotent = true,
              .keyed_in_store = true});
  router.Add({.method = "POST",
              .pattern = "/api/v1/bookings/{booking_id}/confirm",
              .handler = h::BookingsConfirmPost(s.bookings),
              .access = kUser,
              .rate_class = RateClass::kBooking,
              .idempotent = true,
              .keyed_in_store = true});
  router.Add({"GET", "/api/v1/users/bookings", h::UsersBookingsGet(s.bookings), kUser,
              RateClass::kAuthenticated});
  router.Add({"GET", "/api/v1/payments/initiate/{booking_id}", h::PaymentsInitiate(s.bookings),
              kUser, RateClass::kAuthenticated});
  router.Add({"POST", "/api/v1/payments/initiate/{booking_id}", h::PaymentsInitiate(s.bookings),
              kUser, RateClass::kAuthenticated, true});

  // Admin analytics (CONTRACT.md: Analytics).
  router.Add({"GET", "/api/v1/admin/analytics/dashboard", h::AnalyticsDashboardGet(s.analytics),
              Access::kAdmin, RateClass::kAdmin});
  router.Add({"GET", "/api/v1/admin/analytics/events/{event_id}", h::AnalyticsEventGet(s.analytics),
              Access::kAdmin, RateClass::kAdmin});
  // Waitlist and notifications (CONTRACT.md: Waitlist). /ws/events/{id} is served by realtime/.
  router.Add({"POST", "/api/v1/waitlist/join", h::WaitlistJoinPost(s.waitlist), kUser,
              RateClass::kAuthenticated});
  router.Add({"GET", "/api/v1/waitlist", h::WaitlistListGet(s.waitlist), kUser,
              RateClass::kAuthenticated});
  router.Add({"GET", "/api/v1/waitlist/{waitlist_id}", h::WaitlistGet(s.waitlist), kUser,
              RateClass::kAuthenticated});
  router.Add({"DELETE", "/api/v1/waitlist/{waitlist_id}", h::WaitlistDelete(s.waitlist), kUser,
              RateClass::kAuthenticated});
  // The waiting room (CONTRACT.md, On-sale). A join runs on the I/O thread and waits for its
  // batch without a thread; its insert refuses a user the store does not have.
  router.Add({.method = "POST",
              .pattern = "/api/v1/events/{event_id}/queue",
              .handler = h::QueueJoinPost(s.queue),
              .access = kUser,
              .rate_class = RateClass::kAuthenticated,
              .io_first = true,
              .user_checked_in_store = true});
  router.Add({"GET", "/api/v1/events/{event_id}/queue", h::QueueGet(s.queue), kUser,
              RateClass::kAuthenticated});
  router.Add({"DELETE", "/api/v1/events/{event_id}/queue", h::QueueDelete(s.queue), kUser,
              RateClass::kAuthenticated});
  router.Add({"GET", "/api/v1/admin/events/{event_id}/queue", h::AdminQueueGet(s.queue, s.catalog),
              Access::kAdmin, RateClass::kAdmin});
  router.Add({"GET", "/api/v1/users/notifications", h::UsersNotificationsGet(s.notifications),
              kUser, RateClass::kAuthenticated});
  router.Add({"POST", "/api/v1/users/notifications/{notification_id}/read",
              h::UsersNotificationsReadPost(s.notifications), kUser, RateClass::kAuthenticated});
}

}  // namespace evently::http
