// A booking world with the waitlist and notifications wired as the application wires them, for
// storage tests on either engine.
#pragma once

#include <gtest/gtest.h>

#include <ostream>

#include "domain/booking/booking_service.hpp"
#include "domain/notifications/notification_service.hpp"
#include "domain/waitlist/waitlist_service.hpp"
#include "payments/sandbox_gateway.hpp"
#include "storage/booking_store.hpp"
#include "storage/invariants.hpp"
#include "storage/notification_store.hpp"
#include "storage/waitlist_store.hpp"
#include "support/booking_world.hpp"

namespace evently::testing {

inline void SetPhone(storage::Database& db, const std::string& user_id, const std::string& phone) {
  static constexpr storage::Statement kPhone{"fixture_phone",
                                             "UPDATE users SET phone = $2 WHERE id = $1"};
  db.Write([&](storage::Connection& c) { c.Exec(kPhone, {user_id, phone}); });
}

class WaitlistTest : public StoreTest {
 protected:
  static constexpr auto kOfferWindow = std::chrono::seconds(900);

  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    domain::OfferPolicy offers{kOfferWindow};
    bookings_store_ =
        std::make_unique<storage::BookingStore>(*db_, storage::BookingStoreOptions{64, offers});
    waitlist_store_ = std::make_unique<storage::WaitlistStore>(*db_, offers);
    notification_store_ = std::make_unique<storage::NotificationStore>(*db_);
    bookings_ = std::make_unique<domain::BookingService>(*bookings_store_, gateway_, sink_, clock_,
                                                         domain::BookingPolicy{});
    waitlist_ = std::make_unique<domain::WaitlistService>(*waitlist_store_, sink_, clock_);
    domain::DeliveryPolicy delivery;
    delivery.max_attempts = 3;
    delivery.max_backoff = std::chrono::seconds(8);
    delivery.lease = std::chrono::seconds(30);
    notifications_ =
        std::make_unique<domain::NotificationService>(*notification_store_, clock_, delivery);
    alice_ = {CreateUser(*db_, "alice@example.com"), domain::Role::kUser};
    bob_ = {CreateUser(*db_, "bob@example.com"), domain::Role::kUser};
    carol_ = {CreateUser(*db_, "carol@example.com"), domain::Role::kUser};
    admin_ = {CreateUser(*db_, "admin@example.com"), domain::Role::kAdmin};
    event_ = CreateEvent(*db_, {{"Floor", 1, 4, 2500}}, clock_.Now() + std::chrono::hours(48));
  }

  // Alice holds every seat of the event in two bookings: seats 0-1 and seats 2-3.
  std::pair<domain::Booking, domain::Booking> SellOut() {
    auto first = bookings_->Hold(alice_, event_.id, {event_.seat_ids[0], event_.seat_ids[1]});
    auto second = bookings_->Hold(alice_, event_.id, {event_.seat_ids[2], event_.seat_ids[3]});
    EXPECT_TRUE(first.ok() && second.ok());
    sink_.Take();
    return {*first, *second};
  }

  domain::WaitlistEntry Join(const domain::Principal& who, domain::NotificationPreferences p = {}) {
    auto joined = waitlist_->Join(who, event_.id, p);
    EXPECT_TRUE(joined.ok()) << joined.error().Message();
    return joined->entry;
  }

  domain::WaitlistEntry Entry(const domain::Principal& who, const std::string& id) {
    auto entry = waitlist_->Get(who, id);
    EXPECT_TRUE(entry.ok());
    return *entry;
  }

  struct OutboxRow {
    std::string kind, channel, recipient, status;
    std::int64_t attempts = 0;
    bool operator==(const OutboxRow&) const = default;
    friend std::ostream& operator<<(std::ostream& out, const OutboxRow& r) {
      return out << "{" << r.kind << ", " << r.channel << ", " << r.recipient << ", " << r.status
                 << ", " << r.attempts << "}";
    }
  };
  // A delivery not yet attempted.
  static OutboxRow Pending(std::string kind, std::string channel, std::string recipient) {
    return {std::move(kind), std::move(channel), std::move(recipient), "pending", 0};
  }
  using OutboxRows = std::vector<OutboxRow>;
  std::vector<OutboxRow> Outbox(const domain::Principal& who) {
    static constexpr storage::Statement kOutbox{
        "fixture_outbox",
        "SELECT n.kind, o.channel, o.recipient, o.status, o.attempts FROM outbox o "
        "JOIN notifications n ON n.id = o.notification_id WHERE n.user_id = $1 "
        "ORDER BY o.created_at, o.channel"};
    std::vector<OutboxRow> out;
    db_->Read([&](storage::Connection& c) {
      out.clear();
      storage::Rows rows = c.Exec(kOutbox, {who.user_id});
      for (std::size_t r = 0; r < rows.size(); ++r) {
        out.push_back(
            {rows.Text(r, 0), rows.Text(r, 1), rows.Text(r, 2), rows.Text(r, 3), rows.Int(r, 4)});
      }
    });
    return out;
  }

  void ExpectInvariants() {
    auto report = storage::CheckBookingInvariants(*db_, event_.id);
    for (const auto& v : report.violations) ADD_FAILURE() << v;
  }

  // Kinds of the user's in-app notifications, newest first.
  std::vector<std::string> Kinds(const domain::Principal& who) {
    std::vector<std::string> kinds;
    for (const auto& n : notifications_->ListMine(who, {1, 100}, false).items) {
      kinds.push_back(n.kind);
    }
    return kinds;
  }

  ManualClock clock_;
  payments::SandboxGateway gateway_;
  RecordingSink sink_;
  std::unique_ptr<storage::BookingStore> bookings_store_;
  std::unique_ptr<storage::WaitlistStore> waitlist_store_;
  std::unique_ptr<storage::NotificationStore> notification_store_;
  std::unique_ptr<domain::BookingService> bookings_;
  std::unique_ptr<domain::WaitlistService> waitlist_;
  std::unique_ptr<domain::NotificationService> notifications_;
  domain::Principal alice_, bob_, carol_, admin_;
  TestEvent event_;
};

}  // namespace evently::testing
