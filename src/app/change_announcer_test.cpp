// The change announcer: a topic noted many times is sent a few times, not once per note, and
// what is noted before the announcer stops is still sent.
#include "app/change_announcer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "store/change_listener.h"
#include "store/sql/temp_store_test.h"

namespace leadline::app {
namespace {

using AnnouncerTest = store::TempStoreTest;

TEST_P(AnnouncerTest, ABurstOfNotesIsSentAFewTimesAndTheLastOneStill) {
  if (GetParam() != store::sql::Engine::kPostgres) GTEST_SKIP() << "no notices on SQLite";
  auto listener = store::ListenForChanges(url_);
  ASSERT_TRUE(listener.ok() && *listener != nullptr) << listener.status().message();
  config::Paths paths;
  paths.store = url_;
  {
    ChangeAnnouncer announcer(paths, "server-1");
    // 300 ms of notes, one every 2 ms: at most one notice per 100 ms goes out.
    for (int i = 0; i < 150; ++i) {
      announcer.Announce("inbox");
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    announcer.Announce("data");  // noted last, sent as the announcer stops
  }
  std::vector<std::string> notices;
  for (;;) {
    auto received = (*listener)->Wait(std::chrono::milliseconds(500));
    ASSERT_TRUE(received.ok()) << received.status().message();
    if (received->empty()) break;
    notices.insert(notices.end(), received->begin(), received->end());
  }
  int inbox = 0;
  for (const std::string& notice : notices) inbox += notice == "inbox server-1";
  EXPECT_GE(inbox, 1);
  EXPECT_LE(inbox, 8);  // one per note would be 150
  EXPECT_NE(std::find(notices.begin(), notices.end(), "data server-1"), notices.end());
}

LEADLINE_ON_EVERY_ENGINE(AnnouncerTest);

}  // namespace
}  // namespace leadline::app
