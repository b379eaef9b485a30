// Naming origins: the symbolizer's output, which frames are the user's, a
// binary rebuilt since the report, and leads for growth without a finding.
#include "ConfirmOutput.h"
#include "Leads.h"
#include "OriginLines.h"
#include "SourcePaths.h"
#include "Symbolizer.h"

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <unistd.h>

#include <map>

namespace torch_tidy {
namespace {

/// Answers from a table; counts its calls.
class TableSymbolizer : public Symbolizer {
public:
  std::map<uint64_t, std::vector<SymbolizedFrame>> Frames;
  int Calls = 0;

  std::vector<SymbolizedFrame> symbolize(const std::string &,
                                         uint64_t Address) override {
    ++Calls;
    auto It = Frames.find(Address);
    return It == Frames.end() ? std::vector<SymbolizedFrame>{} : It->second;
  }
  std::string name() const override { return "table"; }
};

std::string selfBuildId() {
  std::string Error;
  std::string Id = readBuildId("/proc/self/exe", Error);
  EXPECT_EQ(Error, "");
  return Id;
}

/// A report whose one module is this test binary, with \p BuildId.
RuntimeReport reportWithOrigins(const std::string &BuildId,
                                std::vector<SiteOrigin> Origins) {
  RuntimeReport Report;
  Report.Path = "report.json";
  Report.HasOrigins = true;
  Report.Modules.push_back({"/proc/self/exe", BuildId});
  ProbeSite Site;
  Site.File = "/src/train.cpp";
  Site.Line = 14;
  Site.Origins = std::move(Origins);
  Report.Sites.push_back(std::move(Site));
  return Report;
}

SiteOrigin origin(const std::string &Op, double PerIteration,
                  std::vector<uint64_t> Offsets, bool InBackward = false) {
  SiteOrigin O;
  O.Op = Op;
  O.BytesPerIteration = PerIteration;
  O.InBackward = InBackward;
  for (uint64_t Offset : Offsets)
    O.Frames.push_back({0, Offset});
  return O;
}

TEST(OriginsTest, ParsesLlvmSymbolizerAndAddr2lineOutput) {
  auto Frames = parseSymbolizerOutput(
      "at::Tensor::clone() const\n/usr/include/ATen/core/TensorBody.h:12:3\n"
      "main\n/src/train.cpp:52:20\n\nnext\n/x.cpp:1:1\n");
  ASSERT_EQ(Frames.size(), 2u); // Stops at the blank line.
  EXPECT_EQ(Frames[1].Function, "main");
  EXPECT_EQ(Frames[1].File, "/src/train.cpp");
  EXPECT_EQ(Frames[1].Line, 52);
  // Without line tables: the function only.
  auto NoLines = parseSymbolizerOutput("main\n??:0:0\n");
  ASSERT_EQ(NoLines.size(), 1u);
  EXPECT_EQ(NoLines[0].File, "");
  // addr2line's discriminators.
  auto Addr2line =
      parseSymbolizerOutput("f\n/src/a.cpp:7 (discriminator 2)\n");
  ASSERT_EQ(Addr2line.size(), 1u);
  EXPECT_EQ(Addr2line[0].Line, 7);
}

TEST(OriginsTest, PathsAreFoldedBeforeTheyAreMadeRelative) {
  auto Table = std::make_unique<TableSymbolizer>();
  Table->Frames[0x100] = {{"main", "/src/build/examples/../../train.cpp", 9}};
  RuntimeReport Report =
      reportWithOrigins(selfBuildId(), {origin("aten::mul", 4096, {0x101})});
  OriginResolver Resolver(std::move(Table), "/src/");
  auto Named = Resolver.resolve(Report.Sites[0], Report, 3, 64);
  ASSERT_EQ(Named.size(), 1u);
  EXPECT_EQ(Named[0].location(), "train.cpp:9");
  EXPECT_EQ(normalizePath("a/./b/../c"), "a/c");
  EXPECT_EQ(normalizePath("/a/../../b"), "/b");
}

extern "C" __attribute__((noinline)) int torchTidyOriginsMarker() {
  return 7;
}

TEST(OriginsTest, TheFallbackToolNamesAFunctionOfThisBinary) {
  // torch-tidy-confirm (no LLVM) runs llvm-symbolizer or addr2line.
  std::unique_ptr<Symbolizer> Tool = makeExternalSymbolizer();
  if (!Tool)
    GTEST_SKIP() << "neither llvm-symbolizer nor addr2line on PATH";
  Dl_info Info{};
  auto *Address = reinterpret_cast<void *>(&torchTidyOriginsMarker);
  ASSERT_NE(dladdr(Address, &Info), 0);
  uint64_t Offset = reinterpret_cast<uintptr_t>(Address) -
                    reinterpret_cast<uintptr_t>(Info.dli_fbase);
  // The tool runs in its own process: name this binary by its path.
  char Self[4096];
  ssize_t Length = readlink("/proc/self/exe", Self, sizeof(Self) - 1);
  ASSERT_GT(Length, 0);
  Self[Length] = '\0';
  auto Frames = Tool->symbolize(Self, Offset);
  ASSERT_FALSE(Frames.empty()) << Tool->name();
  EXPECT_EQ(Frames[0].Function, "torchTidyOriginsMarker") << Tool->name();
  EXPECT_EQ(torchTidyOriginsMarker(), 7);
}

TEST(OriginsTest, LibrarySourcesAndFunctions) {
  EXPECT_TRUE(isLibrarySource("/usr/include/ATen/core/TensorBody.h"));
  EXPECT_TRUE(isLibrarySource(
      "/usr/include/torch/csrc/api/include/torch/nn/modules/linear.h"));
  EXPECT_TRUE(isLibrarySource("/usr/include/c++/12/bits/stl_vector.h"));
  EXPECT_FALSE(isLibrarySource("/home/me/project/train.cpp"));
  EXPECT_FALSE(isLibrarySource("examples/mlp/mlp.h"));
  EXPECT_TRUE(isLibraryFunction("at::Tensor::clone() const"));
  EXPECT_TRUE(isLibraryFunction("at::Tensor torch::randn(long)"));
  EXPECT_FALSE(isLibraryFunction("ActivationHistory::record(at::Tensor const&)"));
  EXPECT_FALSE(isLibraryFunction("main"));
}

TEST(OriginsTest, NamesTheFirstUserFrameAfterInlinedLibraryCode) {
  auto Table = std::make_unique<TableSymbolizer>();
  // The return address 0x101 is looked up at 0x100, inside the call.
  Table->Frames[0x100] = {{"at::Tensor::clone() const",
                           "/usr/include/ATen/core/TensorBody.h", 12},
                          {"main", "/src/train.cpp", 52}};
  RuntimeReport Report =
      reportWithOrigins(selfBuildId(), {origin("aten::clone", 65536, {0x101})});
  OriginResolver Resolver(std::move(Table), "/src");
  auto Named = Resolver.resolve(Report.Sites[0], Report, 3, 64);
  ASSERT_EQ(Named.size(), 1u);
  EXPECT_EQ(Named[0].Naming, OriginNaming::Line);
  EXPECT_EQ(Named[0].location(), "train.cpp:52"); // Relative to the root.
  EXPECT_EQ(Named[0].Operator, "aten::clone");
  EXPECT_TRUE(Resolver.notes().empty());
}

TEST(OriginsTest, ARebuiltBinaryIsNeverNamed) {
  auto Table = std::make_unique<TableSymbolizer>();
  Table->Frames[0x100] = {{"main", "/src/train.cpp", 52}};
  TableSymbolizer *Calls = Table.get();
  RuntimeReport Report = reportWithOrigins(
      "00000000deadbeef", {origin("aten::clone", 65536, {0x101})});
  OriginResolver Resolver(std::move(Table), "/src");
  auto Named = Resolver.resolve(Report.Sites[0], Report, 3, 64);
  ASSERT_EQ(Named.size(), 1u);
  EXPECT_EQ(Named[0].Naming, OriginNaming::Rebuilt);
  EXPECT_EQ(Named[0].File, "");
  EXPECT_EQ(Calls->Calls, 0); // Not even looked up.
  ASSERT_EQ(Resolver.notes().size(), 1u);
  EXPECT_NE(Resolver.notes()[0].find("rebuilt since the report"),
            std::string::npos);
}

TEST(OriginsTest, AMissingBinaryIsSaidSo) {
  RuntimeReport Report = reportWithOrigins(
      "00", {origin("aten::clone", 65536, {0x101})});
  Report.Modules[0].Path = "/nonexistent/train";
  OriginResolver Resolver(std::make_unique<TableSymbolizer>(), "/src");
  auto Named = Resolver.resolve(Report.Sites[0], Report, 3, 64);
  ASSERT_EQ(Named.size(), 1u);
  EXPECT_EQ(Named[0].Naming, OriginNaming::Missing);
  EXPECT_EQ(Resolver.notes().size(), 1u);
}

TEST(OriginsTest, WithoutLineTablesNamesTheUserFunction) {
  auto Table = std::make_unique<TableSymbolizer>();
  Table->Frames[0x100] = {{"at::Tensor::clone() const", "", 0}};
  Table->Frames[0x200] = {{"ActivationHistory::record(at::Tensor const&)", "", 0}};
  RuntimeReport Report = reportWithOrigins(
      selfBuildId(), {origin("aten::clone", 65536, {0x101, 0x201})});
  OriginResolver Resolver(std::move(Table), "/src");
  auto Named = Resolver.resolve(Report.Sites[0], Report, 3, 64);
  ASSERT_EQ(Named.size(), 1u);
  EXPECT_EQ(Named[0].Naming, OriginNaming::FunctionOnly);
  EXPECT_NE(Named[0].location().find("ActivationHistory::record"),
            std::string::npos);
  EXPECT_NE(Named[0].location().find("without debug info"), std::string::npos);
  ASSERT_EQ(Resolver.notes().size(), 1u);
}

TEST(OriginsTest, WithoutASymbolizerNothingIsNamedAndItSaysSo) {
  RuntimeReport Report = reportWithOrigins(
      selfBuildId(), {origin("aten::clone", 65536, {0x101})});
  OriginResolver Resolver(nullptr, "/src");
  auto Named = Resolver.resolve(Report.Sites[0], Report, 3, 64);
  ASSERT_EQ(Named.size(), 1u);
  EXPECT_EQ(Named[0].Naming, OriginNaming::Unnamed);
  ASSERT_EQ(Resolver.notes().size(), 1u);
  EXPECT_NE(Resolver.notes()[0].find("no symbolizer"), std::string::npos);
}

TEST(OriginsTest, LargestFirstAndAtEqualSizeTheForwardAllocation) {
  RuntimeReport Report = reportWithOrigins(
      selfBuildId(),
      {origin("autograd::engine::evaluate_function: MmBackward0", 65536,
              {0x301}, true),
       origin("aten::relu", 1000, {0x401}), origin("aten::add", 10, {0x501}),
       origin("aten::clone", 65536, {0x101})});
  OriginResolver Resolver(std::make_unique<TableSymbolizer>(), "/src");
  auto Named = Resolver.resolve(Report.Sites[0], Report, 2, 64);
  ASSERT_EQ(Named.size(), 2u); // At most 2, and aten::add is below 64.
  EXPECT_EQ(Named[0].Operator, "aten::clone");
  EXPECT_EQ(Named[1].Operator, "MmBackward0 (backward)");
}

SiteEvidence growingSite(const std::string &File, int Line) {
  SiteEvidence E;
  E.ReportPath = "report.json";
  E.File = File;
  E.Line = Line;
  E.Iterations = 27;
  MetricGrowth M;
  M.Metric = "cpu_tensor_bytes";
  M.Fit.SlopePerIteration = 65536;
  M.Fit.KendallTau = 1;
  M.Grows = true;
  E.Metrics.push_back(M);
  return E;
}

TEST(OriginsTest, GrowthWithoutAFindingIsALeadAtTheOrigin) {
  SiteOrigin Kept = origin("aten::tanh", 65536, {0x101});
  SiteEvidence E = growingSite("/src/main.cpp", 14);
  E.HasOrigins = true;
  ResolvedOrigin R;
  R.Origin = &Kept;
  R.Naming = OriginNaming::Line;
  R.File = "helper.cpp";
  R.Line = 7;
  R.Operator = "aten::tanh";
  E.Origins.push_back(R);
  auto Leads = findLeads({}, {E});
  ASSERT_EQ(Leads.size(), 1u);
  EXPECT_EQ(Leads[0].File, "helper.cpp");
  EXPECT_EQ(Leads[0].Line, 7);
  EXPECT_NE(Leads[0].Message.find("aten::tanh"), std::string::npos);
  std::string Text = leadsToText(Leads, {});
  EXPECT_EQ(Text.rfind("helper.cpp:7: lead [torch-runtime-growth]: +64.0 KiB",
                       0),
            0u);
  auto Sarif = nlohmann::json::parse(confirmationsToSarif({}, Leads, "/src"));
  EXPECT_EQ(Sarif["runs"][0]["results"][0]["ruleId"], "torch-runtime-growth");
  EXPECT_EQ(Sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
                 ["region"]["startLine"],
            7);
  // The rule is described, as the analysis's rules are.
  bool Described = false;
  for (const auto &Rule : Sarif["runs"][0]["tool"]["driver"]["rules"])
    Described |= Rule["id"] == "torch-runtime-growth" &&
                 Rule["shortDescription"]["text"].get<std::string>().find(
                     "no torch-tidy rule") != std::string::npos;
  EXPECT_TRUE(Described);
  EXPECT_EQ(confirmationsToGithub({}, Leads, "/src")
                .rfind("::warning file=helper.cpp,line=7,col=1,title=torch-"
                       "runtime-growth::",
                       0),
            0u);
}

TEST(OriginsTest, ACudaOriginNamesItsDevice) {
  SiteOrigin Kept = origin("aten::clone", 65536, {0x101});
  Kept.CudaDevice = 1;
  SiteEvidence E = growingSite("/src/main.cpp", 14);
  E.HasOrigins = true;
  ResolvedOrigin R;
  R.Origin = &Kept;
  R.Naming = OriginNaming::Line;
  R.File = "history.cpp";
  R.Line = 17;
  R.Operator = "aten::clone";
  E.Origins.push_back(R);
  EXPECT_NE(confirmationsToText({}, {E}).find(
                "  +64.0 KiB/iteration allocated at history.cpp:17 "
                "(aten::clone) on cuda:1\n"),
            std::string::npos);
  auto Leads = findLeads({}, {E});
  ASSERT_EQ(Leads.size(), 1u);
  EXPECT_NE(Leads[0].Message.find("(aten::clone) on cuda:1 outlives"),
            std::string::npos);
  // A CPU origin names no device.
  Kept.CudaDevice = -1;
  EXPECT_EQ(confirmationsToText({}, {E}).find("on cuda:"), std::string::npos);
}

TEST(OriginsTest, GrowthAFindingExplainsIsNoLead) {
  SiteEvidence E = growingSite("/src/main.cpp", 14);
  Confirmation C;
  C.TheVerdict = Verdict::Confirmed;
  C.Evidence = E;
  EXPECT_TRUE(findLeads({C}, {E}).empty());
  // Flat sites are never leads.
  SiteEvidence Flat = growingSite("/src/other.cpp", 3);
  Flat.Metrics[0].Grows = false;
  EXPECT_TRUE(findLeads({}, {Flat}).empty());
  // Without origins mode the lead says how to find the line.
  auto Leads = findLeads({}, {E});
  ASSERT_EQ(Leads.size(), 1u);
  EXPECT_EQ(Leads[0].File, "/src/main.cpp");
  EXPECT_NE(Leads[0].Message.find("TORCH_TIDY_ORIGINS=1"), std::string::npos);
}

} // namespace
} // namespace torch_tidy
