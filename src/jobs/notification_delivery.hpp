// The outbox delivery worker: one loop per configured channel, so a stuck mail server never
// delays text messages (and within a channel a batch is sent concurrently). Safe on every node.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "domain/notifications/notification_service.hpp"
#include "jobs/periodic_job.hpp"

namespace evently::jobs {

class NotificationDelivery {
 public:
  NotificationDelivery(domain::NotificationService& service, std::chrono::milliseconds interval,
                       int batch);
  // A channel without a transport is not delivered (its deliveries wait in the outbox).
  void AddChannel(domain::Channel channel, domain::DeliveryTransport& transport);
  void Start();
  void Stop();

 private:
  domain::NotificationService& service_;
  std::chrono::milliseconds interval_;
  int batch_;
  std::vector<std::unique_ptr<PeriodicJob>> loops_;
};

}  // namespace evently::jobs
