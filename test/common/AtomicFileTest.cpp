// The output writer's contract (AtomicFile.h): whole or nothing, one line
// naming the file and the reason on failure, nothing left behind.
#include "AtomicFile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace torch_tidy {
namespace {

namespace fs = std::filesystem;

std::string readFile(const fs::path &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream Text;
  Text << In.rdbuf();
  return Text.str();
}

/// A fresh folder per test, removed at the end.
class AtomicFileTest : public testing::Test {
protected:
  void SetUp() override {
    Dir = fs::temp_directory_path() /
          ("torch-tidy-atomic-file-" + std::to_string(getpid()) + "-" +
           testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(Dir);
    fs::create_directories(Dir);
  }
  void TearDown() override {
    fs::permissions(Dir, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(Dir);
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> Names;
    for (const auto &Entry : fs::directory_iterator(Dir))
      Names.push_back(Entry.path().filename().string());
    std::sort(Names.begin(), Names.end());
    return Names;
  }
  fs::path Dir;
};

TEST_F(AtomicFileTest, WritesAndReplacesLeavingNoTemporary) {
  std::string Path = (Dir / "report.json").string();
  std::string Problem;
  ASSERT_TRUE(writeFileAtomically(Path, "first", Problem)) << Problem;
  ASSERT_TRUE(
      writeFileAtomically(Path, "second\n", Problem, Durability::Closed))
      << Problem;
  EXPECT_EQ(readFile(Path), "second\n");
  EXPECT_EQ(entries(), std::vector<std::string>{"report.json"});
}

TEST_F(AtomicFileTest, EmptyTextMakesAnEmptyFile) {
  std::string Path = (Dir / "empty").string();
  std::string Problem;
  ASSERT_TRUE(writeFileAtomically(Path, "", Problem)) << Problem;
  EXPECT_TRUE(fs::is_regular_file(Path));
  EXPECT_EQ(fs::file_size(Path), 0u);
}

TEST_F(AtomicFileTest, AFullDeviceIsWrittenInPlaceAndFails) {
  std::string Problem;
  EXPECT_FALSE(writeFileAtomically("/dev/full", "report", Problem));
  EXPECT_EQ(Problem, "cannot write '/dev/full': No space left on device");
  // Never renamed over: the device is still a device.
  struct stat Status;
  ASSERT_EQ(stat("/dev/full", &Status), 0);
  EXPECT_TRUE(S_ISCHR(Status.st_mode));
}

TEST_F(AtomicFileTest, DevicesThatTakeTheTextSucceed) {
  std::string Problem;
  EXPECT_TRUE(writeFileAtomically("/dev/null", "report", Problem)) << Problem;
  struct stat Status;
  ASSERT_EQ(stat("/dev/null", &Status), 0);
  EXPECT_TRUE(S_ISCHR(Status.st_mode));
}

TEST_F(AtomicFileTest, AMissingFolderNamesTheFile) {
  std::string Path = (Dir / "missing" / "report.json").string();
  std::string Problem;
  EXPECT_FALSE(writeFileAtomically(Path, "x", Problem));
  EXPECT_EQ(Problem, "cannot write '" + Path + "': No such file or directory");
}

TEST_F(AtomicFileTest, AFolderIsNotReplaced) {
  fs::create_directories(Dir / "sub");
  std::string Problem;
  EXPECT_FALSE(writeFileAtomically((Dir / "sub").string(), "x", Problem));
  EXPECT_EQ(Problem,
            "cannot write '" + (Dir / "sub").string() + "': Is a directory");
  EXPECT_TRUE(fs::is_directory(Dir / "sub"));
}

TEST_F(AtomicFileTest, AReadOnlyFolderFailsAndKeepsTheOldFile) {
  if (geteuid() == 0)
    GTEST_SKIP() << "root writes into read-only folders";
  std::string Path = (Dir / "report.json").string();
  std::string Problem;
  ASSERT_TRUE(writeFileAtomically(Path, "old", Problem)) << Problem;
  fs::permissions(Dir, fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_FALSE(writeFileAtomically(Path, "new", Problem));
  EXPECT_EQ(Problem, "cannot write '" + Path + "': Permission denied");
  fs::permissions(Dir, fs::perms::owner_all);
  EXPECT_EQ(readFile(Path), "old");
  EXPECT_EQ(entries(), std::vector<std::string>{"report.json"});
}

// A write that fails part-way (here the file size limit, which fails a
// write as a full disk does) leaves the old file whole and no temporary.
TEST_F(AtomicFileTest, AWriteThatFailsPartWayKeepsTheOldFile) {
  std::string Path = (Dir / "report.json").string();
  std::string Problem;
  ASSERT_TRUE(writeFileAtomically(Path, "old", Problem)) << Problem;
  pid_t Child = fork();
  ASSERT_GE(Child, 0);
  if (Child == 0) {
    std::signal(SIGXFSZ, SIG_IGN); // The write fails with EFBIG instead.
    rlimit Limit{1024, 1024};
    setrlimit(RLIMIT_FSIZE, &Limit);
    std::string Why;
    bool Written = writeFileAtomically(Path, std::string(4096, 'x'), Why);
    _exit(!Written && Why == "cannot write '" + Path + "': File too large" ? 0
                                                                           : 1);
  }
  int Status = 0;
  waitpid(Child, &Status, 0);
  ASSERT_TRUE(WIFEXITED(Status));
  EXPECT_EQ(WEXITSTATUS(Status), 0);
  EXPECT_EQ(readFile(Path), "old");
  EXPECT_EQ(entries(), std::vector<std::string>{"report.json"});
}

TEST_F(AtomicFileTest, ARewrittenFileKeepsItsPermissions) {
  std::string Path = (Dir / "train.sh").string();
  std::string Problem;
  ASSERT_TRUE(writeFileAtomically(Path, "old", Problem)) << Problem;
  fs::permissions(Path, fs::perms::owner_all | fs::perms::group_read);
  ASSERT_TRUE(writeFileAtomically(Path, "new", Problem)) << Problem;
  EXPECT_EQ(fs::status(Path).permissions() & fs::perms::mask,
            fs::perms::owner_all | fs::perms::group_read);
}

TEST_F(AtomicFileTest, ASymbolicLinkStaysALink) {
  std::string Target = (Dir / "real.json").string();
  std::string Link = (Dir / "link.json").string();
  std::string Problem;
  ASSERT_TRUE(writeFileAtomically(Target, "old", Problem)) << Problem;
  fs::create_symlink("real.json", Link);
  ASSERT_TRUE(writeFileAtomically(Link, "new", Problem)) << Problem;
  EXPECT_TRUE(fs::is_symlink(Link));
  EXPECT_EQ(readFile(Target), "new");
}

TEST_F(AtomicFileTest, StandardOutputOnAFullDeviceFails) {
  pid_t Child = fork();
  ASSERT_GE(Child, 0);
  if (Child == 0) {
    int Full = open("/dev/full", O_WRONLY);
    dup2(Full, STDOUT_FILENO);
    std::string Why;
    bool Written = writeStandardOutput("report", Why);
    _exit(!Written &&
                  Why == "cannot write standard output: No space left on device"
              ? 0
              : 1);
  }
  int Status = 0;
  waitpid(Child, &Status, 0);
  ASSERT_TRUE(WIFEXITED(Status));
  EXPECT_EQ(WEXITSTATUS(Status), 0);
}

} // namespace
} // namespace torch_tidy
