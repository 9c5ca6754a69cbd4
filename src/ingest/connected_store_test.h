// Test support for the push tests: a store in a temporary folder with three connected
// repositories, two of them at one location in two connections (Cloud's and Data Center's
// acme/api), as a store can hold them. Tests only; not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/store.h"
#include "testing/git_script.h"

namespace leadline::ingest {

class ConnectedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(store::OpenStore(dir_.Child("leadline.db"))).value();
    model::Connection cloud;
    cloud.name = "bitbucket-cloud/acme";
    cloud.sealed_secret = "v1:x";
    model::Connection dc;
    dc.name = "bitbucket-dc/git.example.com";
    dc.provider = model::Provider::kBitbucketDataCenter;
    dc.sealed_secret = "v1:y";
    const std::int64_t cloud_id = *store_->connections().UpsertConnection(cloud);
    const std::int64_t dc_id = *store_->connections().UpsertConnection(dc);
    cloud_api_ = Add("bitbucket-cloud", "acme/api", "api", cloud_id);
    cloud_web_ = Add("bitbucket-cloud", "acme/web", "web", cloud_id);
    dc_api_ = Add("bitbucket-dc", "acme/api", "api", dc_id);
  }

  std::int64_t Add(const std::string& source, const std::string& location, const std::string& name,
                   std::int64_t connection_id) {
    model::Repository repo;
    repo.source = source;
    repo.location = location;
    repo.name = name;
    repo.connection_id = connection_id;
    return *store_->repositories().UpsertRepository(repo);
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::int64_t cloud_api_ = 0, cloud_web_ = 0, dc_api_ = 0;
};

}  // namespace leadline::ingest
