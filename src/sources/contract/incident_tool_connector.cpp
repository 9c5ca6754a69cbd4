#include "sources/contract/incident_tool_connector.h"

namespace leadline::sources {

using common::Result;
using common::Status;

Result<std::vector<model::Repository>> TokenWalkIncidentConnector::ListRepositories(
    http::HttpClient&, const ConnectionSettings&) const {
  return std::vector<model::Repository>();
}

Feeds TokenWalkIncidentConnector::RepositoryFeeds(const ConnectionSettings&,
                                                  const model::Repository&) const {
  return {};
}

Result<std::string> TokenWalkIncidentConnector::RegisterWebhook(http::HttpClient&,
                                                                const ConnectionSettings&,
                                                                const model::Repository&,
                                                                const HookTarget&) const {
  return Status::FailedPrecondition(
      std::string(model::ProviderTitle(static_cast<const Connector&>(*this).provider())) +
      " has no repositories to register webhooks on; " + WebhookHint());
}

Status TokenWalkIncidentConnector::RemoveWebhook(http::HttpClient&, const ConnectionSettings&,
                                                 const model::Repository&,
                                                 const std::string&) const {
  return Status::Ok();
}

std::string TokenWalkIncidentConnector::StartWalk(common::UnixSeconds since,
                                                  common::UnixSeconds now) const {
  return EncodeTokenWalk(StartTokenWalk(since, now));
}

bool TokenWalkIncidentConnector::InsideWalk(const std::string& cursor) const {
  return IsInsideWalk(cursor);
}

std::optional<common::UnixSeconds> TokenWalkIncidentConnector::WalkEnd(
    const std::string& cursor) const {
  return DecodeWalkEnd(cursor);
}

Result<http::HttpRequest> TokenWalkIncidentConnector::RequestAt(const ConnectionSettings& settings,
                                                                const std::string& cursor) const {
  LEADLINE_ASSIGN_OR_RETURN(const TokenWalk at, DecodeTokenWalk(cursor, WalkRules()));
  return RequestFor(settings, at);
}

Result<IncidentPage> TokenWalkIncidentConnector::Read(const ConnectionSettings& settings,
                                                      const http::HttpResponse& response,
                                                      const std::string& cursor) const {
  const TokenRules rules = WalkRules();
  LEADLINE_ASSIGN_OR_RETURN(const TokenWalk at, DecodeTokenWalk(cursor, rules));
  LEADLINE_ASSIGN_OR_RETURN(TokenPage read, ReadPage(settings, response, at));
  IncidentPage page;
  page.incidents = std::move(read.incidents);
  page.tests_left_out = read.left_out;
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<TokenWalk> next,
                            NextTokenWalk(at, read.next, rules));
  page.cursor = next ? EncodeTokenWalk(*next) : EncodeWalkEnd(at.end);
  return page;
}

}  // namespace leadline::sources
