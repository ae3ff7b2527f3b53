#include "jobs/notification_delivery.hpp"

namespace evently::jobs {

NotificationDelivery::NotificationDelivery(domain::NotificationService& service,
                                           std::chrono::milliseconds interval, int batch)
    : service_(service), interval_(interval), batch_(batch) {}

void NotificationDelivery::AddChannel(domain::Channel channel,
                                      domain::DeliveryTransport& transport) {
  loops_.push_back(std::make_unique<PeriodicJob>(
      "deliver-" + std::string(domain::ChannelName(channel)), interval_,
      [this, channel, &transport] { return service_.Deliver(channel, transport, batch_); }));
}

void NotificationDelivery::Start() {
  for (auto& loop : loops_) loop->Start();
}

void NotificationDelivery::Stop() {
  for (auto& loop : loops_) loop->Stop();
}

}  // namespace evently::jobs
