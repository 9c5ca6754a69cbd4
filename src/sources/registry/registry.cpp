#include "sources/registry/registry.h"

#include <string>

#include "sources/bitbucket/bitbucket_connector.h"

namespace leadline::sources {

const Connector* FindConnector(model::Provider provider) {
  static const bitbucket::BitbucketConnector bitbucket_cloud(model::Provider::kBitbucketCloud);
  static const bitbucket::BitbucketConnector bitbucket_dc(model::Provider::kBitbucketDataCenter);
  switch (provider) {
    case model::Provider::kBitbucketCloud:
      return &bitbucket_cloud;
    case model::Provider::kBitbucketDataCenter:
      return &bitbucket_dc;
    case model::Provider::kGitLab:
    case model::Provider::kGit:
    case model::Provider::kPush:
      return nullptr;
  }
  return nullptr;
}

common::Result<const Connector*> ConnectorFor(model::Provider provider) {
  if (const Connector* connector = FindConnector(provider)) return connector;
  return common::Status::InvalidArgument(std::string(model::ProviderTitle(provider)) +
                                         " has no connections");
}

}  // namespace leadline::sources
