// Test support for the ingest tests that sync against the Bitbucket double: the double, a store in
// a temporary folder, and one repository of the double stored as a connected one. Tests only;
// header-only (the tests that include it link the double and the store).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "bitbucket_double/bitbucket_double.h"
#include "model/repository.h"
#include "store/store.h"
#include "testing/git_script.h"

namespace leadline::testing {

class DoubleSyncTest : public ::testing::Test {
 protected:
  // Starts the double with `config_` (as the test's constructor set it) and stores repo-1 of
  // the edition `source` ("bitbucket-cloud" or "bitbucket-dc"), with its clone URL.
  void StartDouble(const std::string& source) {
    bitbucket_ = std::make_unique<BitbucketDouble>(config_);
    store_ = std::move(store::OpenStore(dir_.Child("leadline.db"))).value();
    const bool cloud = source == "bitbucket-cloud";
    repo_.source = source;
    repo_.location = cloud ? "acme/repo-1" : "PROJ/repo-1";
    repo_.name = "repo-1";
    repo_.clone_url =
        cloud ? "http://127.0.0.1:" + std::to_string(bitbucket_->port()) + "/acme/repo-1.git"
              : bitbucket_->dc_url() + "/scm/proj/repo-1.git";
    repo_.id = *store_->repositories().UpsertRepository(repo_);
  }

  TempDir dir_;
  BitbucketDoubleConfig config_;
  std::unique_ptr<BitbucketDouble> bitbucket_;
  std::unique_ptr<store::Store> store_;
  model::Repository repo_;
};

}  // namespace leadline::testing
