// A fresh store with the booking and analytics services over a manual clock, and four buyers:
// the world the analytics tests build their histories in.
#pragma once

#include <memory>
#include <string>

#include "domain/analytics/analytics_service.hpp"
#include "domain/booking/booking_service.hpp"
#include "payments/sandbox_gateway.hpp"
#include "storage/analytics_store.hpp"
#include "storage/booking_store.hpp"
#include "support/booking_fixture.hpp"
#include "support/booking_world.hpp"
#include "support/manual_clock.hpp"
#include "support/test_store.hpp"

namespace evently::testing {

class NullSink final : public domain::SeatChangeSink {
 public:
  void Publish(const domain::SeatChange&) override {}
};

// Booking and analytics services on a fresh store, and four buyers.
class AnalyticsWorld : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    store_ = std::make_unique<storage::BookingStore>(*db_);
    bookings_ = std::make_unique<domain::BookingService>(*store_, gateway_, sink_, clock_,
                                                         domain::BookingPolicy{});
    analytics_store_ = std::make_unique<storage::AnalyticsStore>(*db_);
    analytics_ = std::make_unique<domain::AnalyticsService>(*analytics_store_, clock_);
    for (auto* who : {&alice_, &bob_, &carol_, &dave_}) {
      *who = {CreateUser(*db_, domain::RandomHex(6) + "@example.com"), domain::Role::kUser};
    }
  }

  domain::DayRange Range(const std::string& from, const std::string& to) {
    return *analytics_->ResolveRange(from, to);
  }

  ManualClock clock_{*domain::ParseRfc3339("2030-03-01T10:00:00Z")};
  payments::SandboxGateway gateway_;
  NullSink sink_;
  std::unique_ptr<storage::BookingStore> store_;
  std::unique_ptr<domain::BookingService> bookings_;
  std::unique_ptr<storage::AnalyticsStore> analytics_store_;
  std::unique_ptr<domain::AnalyticsService> analytics_;
  domain::Principal alice_, bob_, carol_, dave_;
};

}  // namespace evently::testing
