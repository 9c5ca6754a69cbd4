#include "sources/registry/registry.h"

#include <string>

#include "sources/bitbucket/bitbucket_connector.h"
#include "sources/bitbucket/bitbucket_webhook.h"
#include "sources/gitlab/gitlab_connector.h"
#include "sources/gitlab/webhook.h"
#include "sources/incidentio/incidentio_connector.h"
#include "sources/incidentio/webhook.h"
#include "sources/jsm/jsm_connector.h"
#include "sources/jsm/webhook.h"
#include "sources/opsgenie/opsgenie_connector.h"
#include "sources/pagerduty/pagerduty_connector.h"
#include "sources/pagerduty/webhook.h"

namespace leadline::sources {

namespace {

const pagerduty::PagerDutyConnector& PagerDuty() {
  static const pagerduty::PagerDutyConnector connector;
  return connector;
}

const incidentio::IncidentIoConnector& IncidentIo() {
  static const incidentio::IncidentIoConnector connector;
  return connector;
}

const jsm::JsmConnector& Jsm() {
  static const jsm::JsmConnector connector;
  return connector;
}

const opsgenie::OpsgenieConnector& Opsgenie() {
  static const opsgenie::OpsgenieConnector connector;
  return connector;
}

}  // namespace

const Connector* FindConnector(model::Provider provider) {
  static const bitbucket::BitbucketConnector bitbucket_cloud(model::Provider::kBitbucketCloud);
  static const bitbucket::BitbucketConnector bitbucket_dc(model::Provider::kBitbucketDataCenter);
  static const gitlab::GitLabConnector gitlab;
  switch (provider) {
    case model::Provider::kBitbucketCloud:
      return &bitbucket_cloud;
    case model::Provider::kBitbucketDataCenter:
      return &bitbucket_dc;
    case model::Provider::kGitLab:
      return &gitlab;
    case model::Provider::kPagerDuty:
      return &PagerDuty();
    case model::Provider::kIncidentIo:
      return &IncidentIo();
    case model::Provider::kJsm:
      return &Jsm();
    case model::Provider::kOpsgenie:
      return &Opsgenie();
    case model::Provider::kGit:
    case model::Provider::kPush:
      return nullptr;
  }
  return nullptr;
}

const IncidentConnector* FindIncidentConnector(model::Provider provider) {
  switch (provider) {
    case model::Provider::kPagerDuty:
      return &PagerDuty();
    case model::Provider::kIncidentIo:
      return &IncidentIo();
    case model::Provider::kJsm:
      return &Jsm();
    case model::Provider::kOpsgenie:
      return &Opsgenie();
    default:
      return nullptr;
  }
}

common::Result<const Connector*> ConnectorFor(model::Provider provider) {
  if (const Connector* connector = FindConnector(provider)) return connector;
  return common::Status::InvalidArgument(std::string(model::ProviderTitle(provider)) +
                                         " has no connections");
}

const WebhookDecoder* FindWebhookDecoder(model::Provider provider) {
  static const bitbucket::BitbucketWebhookDecoder bitbucket;
  static const gitlab::GitLabWebhookDecoder gitlab;
  static const pagerduty::PagerDutyWebhookDecoder pagerduty;
  static const incidentio::IncidentIoWebhookDecoder incidentio;
  static const jsm::JsmWebhookDecoder jsm;
  switch (provider) {
    case model::Provider::kBitbucketCloud:
    case model::Provider::kBitbucketDataCenter:
      return &bitbucket;
    case model::Provider::kGitLab:
      return &gitlab;
    case model::Provider::kPagerDuty:
      return &pagerduty;
    case model::Provider::kIncidentIo:
      return &incidentio;
    case model::Provider::kJsm:
      return &jsm;
    case model::Provider::kOpsgenie:  // its webhooks are not signed: polled instead
    case model::Provider::kGit:
    case model::Provider::kPush:
      return nullptr;
  }
  return nullptr;
}

}  // namespace leadline::sources
