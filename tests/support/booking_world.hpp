// The booking engine over the store under test (StoreTest): a manual clock, the sandbox gateway,
// a sink that keeps every seat change published, two buyers and one event of the sections the
// test fixture names. Shared by the storage suites that drive BookingService.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "domain/booking/booking_service.hpp"
#include "payments/sandbox_gateway.hpp"
#include "storage/booking_store.hpp"
#include "storage/invariants.hpp"
#include "support/booking_fixture.hpp"
#include "support/manual_clock.hpp"
#include "support/test_store.hpp"

namespace evently::testing {

// Keeps every seat change published; Take() hands them over and starts afresh.
class RecordingSink final : public domain::SeatChangeSink {
 public:
  void Publish(const domain::SeatChange& change) override {
    std::lock_guard lock(mu_);
    changes_.push_back(change);
  }
  std::vector<domain::SeatChange> Take() {
    std::lock_guard lock(mu_);
    return std::exchange(changes_, {});
  }

 private:
  std::mutex mu_;
  std::vector<domain::SeatChange> changes_;
};

// The sandbox's card token that always succeeds.
inline const domain::PaymentDetails kGoodToken{"credit_card", std::string("tok_visa"),
                                               std::nullopt};

class BookingWorld : public StoreTest {
 protected:
  // The event every test of the fixture starts with, 48 hours ahead of the clock.
  explicit BookingWorld(std::vector<SeatSection> sections) : sections_(std::move(sections)) {}

  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    store_ = std::make_unique<storage::BookingStore>(*db_);
    service_ = std::make_unique<domain::BookingService>(*store_, gateway_, sink_, clock_,
                                                        domain::BookingPolicy{});
    alice_ = {CreateUser(*db_, "alice@example.com"), domain::Role::kUser};
    bob_ = {CreateUser(*db_, "bob@example.com"), domain::Role::kUser};
    event_ = CreateEvent(*db_, sections_, clock_.Now() + std::chrono::hours(48));
  }

  void ExpectInvariants() {
    for (const auto& v : storage::CheckBookingInvariants(*db_, event_.id).violations) {
      ADD_FAILURE() << v;
    }
  }

  // `count` of the event's seat ids from `from`, in layout order.
  std::vector<std::string> Seats(std::size_t from, std::size_t count) const {
    return {event_.seat_ids.begin() + static_cast<std::ptrdiff_t>(from),
            event_.seat_ids.begin() + static_cast<std::ptrdiff_t>(from + count)};
  }

  std::vector<SeatSection> sections_;
  ManualClock clock_;
  payments::SandboxGateway gateway_;
  RecordingSink sink_;
  std::unique_ptr<storage::BookingStore> store_;
  std::unique_ptr<domain::BookingService> service_;
  domain::Principal alice_, bob_;
  TestEvent event_;
};

}  // namespace evently::testing
