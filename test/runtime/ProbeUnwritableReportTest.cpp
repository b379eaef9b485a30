// A report the probe cannot write (a full disk, a missing or read-only
// folder): one message on standard error, and the program goes on to its
// own exit status. Each case runs this binary again with the probe on,
// as ProbeChildTest.cpp does.
#include "SelfProcess.h"
#include "torch_tidy/probe.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace torch_tidy::probe {
namespace {

constexpr int ProgramExitCode = 7;

bool inChild() { return std::getenv("TORCH_TIDY_WRITE_CHILD") != nullptr; }

using torch_tidy::test::ChildResult;

/// Runs ProbeWriteChild.IterateThenExit with the probe writing to
/// \p Report at every boundary. Unlike ProbeChildTest's runner it removes
/// nothing first: \p Report may be /dev/full.
ChildResult runChild(const std::string &Report) {
  return torch_tidy::test::runThisBinary(
      "TORCH_TIDY_WRITE_CHILD=1 TORCH_TIDY_REPORT_EVERY=1 "
      "TORCH_TIDY_REPORT='" +
          Report + "'",
      "ProbeWriteChild.IterateThenExit");
}

size_t occurrences(const std::string &Text, const std::string &Part) {
  size_t Count = 0;
  for (size_t At = Text.find(Part); At != std::string::npos;
       At = Text.find(Part, At + 1))
    ++Count;
  return Count;
}

/// The message the probe prints once for \p Report and \p Reason.
std::string message(const std::string &Report, const std::string &Reason) {
  return "torch-tidy probe: error: cannot write '" + Report + "': " + Reason +
         " (the report)\n";
}

TEST(ProbeWriteChild, IterateThenExit) {
  if (!inChild())
    GTEST_SKIP() << "runs in a child process";
  ASSERT_TRUE(isEnabled());
  for (int I = 0; I < 5; ++I)
    TORCH_TIDY_ITERATION();
  std::fflush(nullptr);
  std::exit(ProgramExitCode); // The final report is written at exit.
}

TEST(ProbeUnwritableReportTest, AFullDiskIsOneMessageAndTheExitCodeStays) {
  if (inChild())
    GTEST_SKIP();
  ChildResult Child = runChild("/dev/full");
  EXPECT_EQ(Child.ExitCode, ProgramExitCode) << Child.Output;
  EXPECT_EQ(occurrences(Child.Output,
                        message("/dev/full", "No space left on device")),
            1u)
      << Child.Output;
  struct stat Status;
  ASSERT_EQ(stat("/dev/full", &Status), 0);
  EXPECT_TRUE(S_ISCHR(Status.st_mode)) << "/dev/full was replaced";
}

TEST(ProbeUnwritableReportTest, AMissingFolderIsOneMessage) {
  if (inChild())
    GTEST_SKIP();
  std::string Report = testing::TempDir() + "torch-tidy-no-such-folder-" +
                       std::to_string(getpid()) + "/report.json";
  ChildResult Child = runChild(Report);
  EXPECT_EQ(Child.ExitCode, ProgramExitCode) << Child.Output;
  EXPECT_EQ(
      occurrences(Child.Output, message(Report, "No such file or directory")),
      1u)
      << Child.Output;
}

TEST(ProbeUnwritableReportTest, AReadOnlyFolderIsOneMessage) {
  if (inChild())
    GTEST_SKIP();
  if (geteuid() == 0)
    GTEST_SKIP() << "root writes into read-only folders";
  namespace fs = std::filesystem;
  fs::path Dir = fs::path(testing::TempDir()) /
                 ("torch-tidy-read-only-" + std::to_string(getpid()));
  fs::create_directories(Dir);
  fs::permissions(Dir, fs::perms::owner_read | fs::perms::owner_exec);
  std::string Report = (Dir / "report.json").string();
  ChildResult Child = runChild(Report);
  fs::permissions(Dir, fs::perms::owner_all);
  fs::remove_all(Dir);
  EXPECT_EQ(Child.ExitCode, ProgramExitCode) << Child.Output;
  EXPECT_EQ(occurrences(Child.Output, message(Report, "Permission denied")), 1u)
      << Child.Output;
}

} // namespace
} // namespace torch_tidy::probe
