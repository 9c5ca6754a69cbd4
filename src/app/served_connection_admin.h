// The admin API's connection management in `leadline serve` (api/connection_admin.h): the same
// compositions as the CLI's `connect`, `check`, `repos` and `services` commands, over the store
// and key the server was started with, asking the upstreams with interactive retries. Each call
// opens the store for itself, as the commands do. Thread-safe; keeps only the settings it is
// given and a reference to the transport, which must outlive it.
#pragma once

#include <string>

#include "api/connection_admin.h"
#include "config/paths.h"
#include "engine/incident_selection.h"
#include "http/http_client.h"

namespace leadline::app {

class ServedConnectionAdmin final : public api::ConnectionAdmin {
 public:
  // `public_url`: [webhooks] public_url, where registered webhooks deliver (empty: none are);
  // `configured`: [services], which wins over the mappings stored.
  ServedConnectionAdmin(config::Paths paths, http::HttpClient& transport, std::string public_url,
                        engine::ConfiguredServices configured)
      : paths_(std::move(paths)),
        transport_(transport),
        public_url_(std::move(public_url)),
        configured_(std::move(configured)) {}

  common::Result<api::CheckedConnection> Connect(const api::NewConnection& connection) override;
  common::Result<std::vector<api::CheckedConnection>> CheckAll() override;
  common::Result<std::vector<model::Repository>> Repositories(bool refresh) override;
  common::Result<std::vector<api::SelectionChange>> Select(const std::vector<std::string>& patterns,
                                                           bool selected) override;
  common::Result<std::vector<api::ServiceMapping>> Services(bool refresh) override;
  common::Result<api::ServiceMapping> MapService(const std::string& service,
                                                 const std::string& repositories) override;

 private:
  const config::Paths paths_;
  http::HttpClient& transport_;
  const std::string public_url_;
  const engine::ConfiguredServices configured_;
};

}  // namespace leadline::app
