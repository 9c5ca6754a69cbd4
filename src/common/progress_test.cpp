#include "common/progress.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace leadline::common {
namespace {

// Everything written to `file` so far.
std::string Contents(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string out;
  for (int c; (c = std::fgetc(file)) != EOF;) out += static_cast<char>(c);
  return out;
}

ProgressOptions Immediate(std::FILE* out) {
  ProgressOptions options;
  options.out = out;
  options.enabled = true;
  options.quiet_period = std::chrono::milliseconds(0);
  options.redraw_every = std::chrono::milliseconds(0);
  return options;
}

TEST(ProgressBar, DrawsCountsAndClearsItsLine) {
  std::FILE* out = std::tmpfile();
  {
    ProgressBar bar("Reading repo", 200, Immediate(out));
    bar.Set(50);
    const std::string drawn = Contents(out);
    EXPECT_NE(drawn.find("Reading repo"), std::string::npos);
    EXPECT_NE(drawn.find("50/200"), std::string::npos) << drawn;
    EXPECT_NE(drawn.find(" 25%"), std::string::npos) << drawn;
  }
  EXPECT_TRUE(Contents(out).ends_with("\r\x1b[K"));  // the destructor cleared the line
  std::fclose(out);
}

TEST(ProgressBar, ANewLabelIsDrawnWithTheSameCounts) {
  std::FILE* out = std::tmpfile();
  {
    ProgressBar bar("Syncing acme/a", 4, Immediate(out));
    bar.Set(1);
    bar.SetLabel("Syncing acme/b: 120 rows");
    const std::string drawn = Contents(out);
    EXPECT_NE(drawn.find("Syncing acme/b: 120 rows ["), std::string::npos) << drawn;
    EXPECT_NE(drawn.rfind("1/4"), drawn.find("1/4")) << "drawn twice";
  }
  std::fclose(out);
}

TEST(ProgressBar, CountsWhenTheTotalIsUnknown) {
  std::FILE* out = std::tmpfile();
  {
    ProgressBar bar("Reading", 0, Immediate(out));
    bar.Add(7);
    bar.Add(5);
    EXPECT_NE(Contents(out).find("Reading 12"), std::string::npos) << Contents(out);
  }  // the bar writes its last clear before the file closes
  std::fclose(out);
}

TEST(ProgressBar, SilentWhenDisabledOrQuick) {
  std::FILE* out = std::tmpfile();
  ProgressOptions disabled = Immediate(out);
  disabled.enabled = false;
  ProgressOptions quick = Immediate(out);
  quick.quiet_period = std::chrono::hours(1);  // work that ends before the quiet period
  {
    ProgressBar a("a", 10, disabled);
    a.Set(5);
    ProgressBar b("b", 10, quick);
    b.Set(5);
  }
  EXPECT_EQ(Contents(out), "");
  std::fclose(out);
}

TEST(ProgressBar, DefaultIsOffWhenStderrIsNotATerminal) {
  // ctest runs tests with stderr redirected to a pipe or file.
  if (isatty(2)) GTEST_SKIP() << "stderr is a terminal here";
  EXPECT_FALSE(DefaultProgressOptions().enabled);
}

}  // namespace
}  // namespace leadline::common
