// Origins mode (TORCH_TIDY_ORIGINS=1) in a child process: survivors are
// summed per origin with the operator that made them and the user frames
// that confirm names; and the module table that keeps those frames.
#include "ModuleTable.h"
#include "RuntimeReport.h"
#include "Symbolizer.h"

#include "torch_tidy/probe.h"

#include <c10/core/CPUAllocator.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <vector>

namespace torch_tidy::probe {
namespace {

bool inChild() { return std::getenv("TORCH_TIDY_PROBE_CHILD") != nullptr; }

std::string selfPath() {
  char Self[4096];
  ssize_t Length = readlink("/proc/self/exe", Self, sizeof(Self) - 1);
  Self[Length > 0 ? Length : 0] = '\0';
  return Self;
}

constexpr int Iterations = 20;
constexpr int64_t KeptBytes = 64 * 1024; // One 128x128 float clone.

TEST(ProbeChild, OriginsKeepAClonePerIteration) {
  if (!inChild())
    GTEST_SKIP() << "runs in a child process";
  torch::Tensor Source = torch::ones({128, 128});
  std::vector<torch::Tensor> Kept;
  for (int I = 0; I < Iterations; ++I) {
    TORCH_TIDY_ITERATION();
    torch::Tensor Scratch = Source * 2; // Freed in its iteration.
    Kept.push_back(Source.clone());
  }
}

TEST(OriginsTest, SurvivorsAreSummedPerOperatorWithUserFrames) {
  if (inChild())
    GTEST_SKIP();
  std::string Report = testing::TempDir() + "torch-tidy-origins-" +
                       std::to_string(getpid()) + ".json";
  std::remove(Report.c_str());
  std::string Command = "TORCH_TIDY_ORIGINS=1 TORCH_TIDY_PROBE_CHILD=1 "
                        "TORCH_TIDY_REPORT='" +
                        Report + "' '" + selfPath() +
                        "' --gtest_filter=ProbeChild."
                        "OriginsKeepAClonePerIteration >/dev/null 2>&1";
  ASSERT_EQ(std::system(Command.c_str()), 0);

  RuntimeReport Read = readRuntimeReport(Report);
  ASSERT_TRUE(Read.HasOrigins);
  ASSERT_EQ(Read.Sites.size(), 1u);
  const ProbeSite &Site = Read.Sites[0];
  ASSERT_FALSE(Site.Origins.empty());
  const SiteOrigin &Top = Site.Origins[0];
  EXPECT_EQ(Top.Op, "aten::clone");
  // Summed at a boundary (every 10th at most, fewer when summing is slow
  // next to the loop): at boundary N the iterations 0..N-3 have survivors,
  // one clone each; the rate counts those after the 3 warm-up iterations.
  EXPECT_GE(Top.Count, 7);
  EXPECT_LE(Top.Count, Iterations - 3);
  EXPECT_EQ(Top.Bytes, Top.Count * KeptBytes);
  EXPECT_EQ(Top.BirthIterations, Top.Count);
  EXPECT_EQ(Top.FirstIteration, 0);
  EXPECT_EQ(Top.LastIteration, Top.Count - 1);
  EXPECT_DOUBLE_EQ(Top.BytesPerIteration, static_cast<double>(KeptBytes));
  // The scratch product never survives.
  for (const SiteOrigin &O : Site.Origins)
    EXPECT_NE(O.Op, "aten::mul");
  // Its frames are in this executable, whose build id the report has.
  ASSERT_FALSE(Top.Frames.empty());
  const ReportModule &Module =
      Read.Modules[static_cast<size_t>(Top.Frames[0].Module)];
  std::string Error;
  EXPECT_EQ(Module.BuildId, readBuildId(selfPath(), Error));
  EXPECT_EQ(Error, "");

  // The user-frame cache, as of the same summing: two lookups an iteration
  // (mul and clone), each call site unwound once (and at audits), never
  // found wrong; no GPU here, so no CUDA blocks.
  std::ifstream In(Report);
  std::stringstream Text;
  Text << In.rdbuf();
  const nlohmann::json Origins = nlohmann::json::parse(Text.str())["origins"];
  EXPECT_EQ(Origins["stack_audit_mismatches"], 0);
  EXPECT_GE(Origins["stack_lookups"].get<int64_t>(), 2 * Top.Count);
  EXPECT_LT(Origins["stack_unwinds"].get<int64_t>(),
            Origins["stack_lookups"].get<int64_t>() / 2);
  EXPECT_NE(Origins["cuda_blocks"], "tagged");
  std::remove(Report.c_str());
}

TEST(OriginsTest, ProbeWithoutOriginsWritesNone) {
  if (inChild())
    GTEST_SKIP();
  std::string Report = testing::TempDir() + "torch-tidy-no-origins-" +
                       std::to_string(getpid()) + ".json";
  std::string Command = "TORCH_TIDY_PROBE_CHILD=1 TORCH_TIDY_REPORT='" +
                        Report + "' '" + selfPath() +
                        "' --gtest_filter=ProbeChild."
                        "OriginsKeepAClonePerIteration >/dev/null 2>&1";
  ASSERT_EQ(std::system(Command.c_str()), 0);
  std::ifstream In(Report);
  std::stringstream Text;
  Text << In.rdbuf();
  nlohmann::json Root = nlohmann::json::parse(Text.str());
  EXPECT_FALSE(Root.contains("origins"));
  EXPECT_FALSE(Root["sites"][0].contains("origins"));
  std::remove(Report.c_str());
}

TEST(ModuleTableTest, LibraryPaths) {
  EXPECT_TRUE(isLibraryPath("/usr/lib/x86_64-linux-gnu/libtorch_cpu.so.1.13"));
  EXPECT_TRUE(isLibraryPath("/usr/lib/x86_64-linux-gnu/libc10.so.1.13"));
  EXPECT_TRUE(isLibraryPath("/lib/x86_64-linux-gnu/libstdc++.so.6"));
  EXPECT_TRUE(isLibraryPath("/lib/x86_64-linux-gnu/libc.so.6"));
  EXPECT_TRUE(isLibraryPath("/opt/venv/lib/python3.11/site-packages/torch/lib/"
                            "libcustom.so"));
  EXPECT_TRUE(isLibraryPath("/usr/local/lib/libtorch_tidy_probe.so"));
  EXPECT_FALSE(isLibraryPath("/home/me/build/train"));
  EXPECT_FALSE(isLibraryPath("/home/me/build/libmymodel.so"));
}

TEST(ModuleTableTest, FindsThisExecutableAndLibtorch) {
  ModuleTable Table;
  int Self = Table.find(reinterpret_cast<uintptr_t>(&selfPath));
  ASSERT_GE(Self, 0);
  int Torch = Table.find(reinterpret_cast<uintptr_t>(&c10::GetCPUAllocator));
  ASSERT_GE(Torch, 0);
  std::vector<LoadedModule> Modules = Table.modules();
  EXPECT_EQ(Modules[static_cast<size_t>(Self)].Path, selfPath());
  EXPECT_FALSE(Modules[static_cast<size_t>(Self)].IsLibrary);
  EXPECT_FALSE(Modules[static_cast<size_t>(Self)].BuildId.empty());
  EXPECT_TRUE(Modules[static_cast<size_t>(Torch)].IsLibrary);
  EXPECT_EQ(Table.find(0), -1);
}

} // namespace
} // namespace torch_tidy::probe
