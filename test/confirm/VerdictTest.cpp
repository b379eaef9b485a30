// Joining findings with probe sites, and the verdicts.
#include "SourcePaths.h"
#include "Verdict.h"

#include <gtest/gtest.h>

namespace torch_tidy {
namespace {

ProbeSite siteWith(const std::string &File, int Line, int Iterations,
                   int64_t TensorGrowth, int64_t HeapOtherGrowth) {
  ProbeSite Site;
  Site.File = File;
  Site.Line = Line;
  for (int I = 0; I < Iterations; ++I) {
    IterationSample Sample;
    Sample.Iteration = I;
    Sample.CpuTensorBytes = Sample.CpuPeakBytes = 1000000 + TensorGrowth * I;
    Sample.HostHeapBytes =
        5000000 + Sample.CpuTensorBytes + HeapOtherGrowth * I;
    Sample.GradEnabled = true;
    Site.Samples.push_back(Sample);
  }
  return Site;
}

Finding findingInLoop(const std::string &File, int Begin, int End) {
  Finding F;
  F.Id = "id";
  F.Rule = "torch-graph-kept-across-iterations";
  F.File = File;
  F.Position = {Begin + 2, 5};
  F.Loop = SourceSpan{File, {Begin, 3}, {End, 3}};
  return F;
}

RuntimeReport reportWith(std::vector<ProbeSite> Sites) {
  RuntimeReport Report;
  Report.Path = "report.json";
  Report.HostAvailableBytes = int64_t(8) << 30;
  Report.Sites = std::move(Sites);
  return Report;
}

TEST(VerdictTest, SteadyTensorGrowthInsideTheLoopConfirms) {
  auto Result = confirmFindings(
      {findingInLoop("/src/eval.cpp", 20, 26)},
      {reportWith({siteWith("/src/eval.cpp", 22, 30, 199168, 0)})}, {});
  ASSERT_EQ(Result.size(), 1u);
  EXPECT_EQ(Result[0].TheVerdict, Verdict::Confirmed);
  ASSERT_TRUE(Result[0].Evidence);
  EXPECT_DOUBLE_EQ(Result[0].Evidence->growthBytesPerIteration(), 199168);
  ASSERT_TRUE(Result[0].Evidence->IterationsUntilOom);
  EXPECT_NEAR(*Result[0].Evidence->IterationsUntilOom,
              double(int64_t(8) << 30) / 199168, 1);
}

TEST(VerdictTest, HostHeapGrowthAloneConfirms) {
  // total += loss after backward keeps graph nodes, not tensors.
  auto Result = confirmFindings(
      {findingInLoop("/src/train.cpp", 10, 20)},
      {reportWith({siteWith("/src/train.cpp", 12, 30, 0, 6200)})}, {});
  EXPECT_EQ(Result[0].TheVerdict, Verdict::Confirmed);
  EXPECT_EQ(Result[0].Evidence->Metrics[0].Grows, false);
  EXPECT_EQ(Result[0].Evidence->Metrics[1].Grows, true);
}

TEST(VerdictTest, FlatMemoryIsNotConfirmed) {
  auto Result = confirmFindings(
      {findingInLoop("/src/eval.cpp", 20, 26)},
      {reportWith({siteWith("/src/eval.cpp", 22, 30, 0, 100)})}, {});
  EXPECT_EQ(Result[0].TheVerdict, Verdict::NotConfirmed);
}

TEST(VerdictTest, SitesOutsideTheLoopOrTooShortAreNotExercised) {
  auto Result = confirmFindings(
      {findingInLoop("/src/eval.cpp", 20, 26)},
      {reportWith({siteWith("/src/eval.cpp", 40, 30, 199168, 0),
                   siteWith("/src/other.cpp", 22, 30, 199168, 0),
                   siteWith("/src/eval.cpp", 22, 6, 199168, 0)})},
      {});
  EXPECT_EQ(Result[0].TheVerdict, Verdict::NotExercised);
  EXPECT_FALSE(Result[0].Evidence);
}

TEST(VerdictTest, GrowthBelowTheThresholdIsNotConfirmed) {
  ConfirmOptions Options;
  Options.MinGrowthBytes = 1 << 20;
  auto Result = confirmFindings(
      {findingInLoop("/src/eval.cpp", 20, 26)},
      {reportWith({siteWith("/src/eval.cpp", 22, 30, 199168, 0)})}, Options);
  EXPECT_EQ(Result[0].TheVerdict, Verdict::NotConfirmed);
}

TEST(VerdictTest, CudaGrowthIsAMetricWithItsOwnOomProjection) {
  // Flat on the host; 1 MiB per iteration on cuda:1, with 100 MiB free.
  ProbeSite Site = siteWith("/src/train.cpp", 12, 30, 0, 0);
  Site.Thread = 2;
  for (IterationSample &Sample : Site.Samples)
    Sample.Cuda.push_back(
        {1, (Sample.Iteration + 1) * (int64_t(1) << 20), int64_t(100) << 20});
  auto Result = confirmFindings({findingInLoop("/src/train.cpp", 10, 20)},
                                {reportWith({Site})}, {});
  EXPECT_EQ(Result[0].TheVerdict, Verdict::Confirmed);
  const SiteEvidence &E = *Result[0].Evidence;
  ASSERT_EQ(E.Metrics.size(), 3u);
  EXPECT_EQ(E.Metrics[2].Metric, "cuda:1 allocated");
  EXPECT_TRUE(E.Metrics[2].Grows);
  EXPECT_FALSE(E.Metrics[0].Grows);
  EXPECT_EQ(E.Thread, 2);
  EXPECT_EQ(E.OomResource, "cuda:1");
  ASSERT_TRUE(E.IterationsUntilOom);
  EXPECT_NEAR(*E.IterationsUntilOom, 100, 1e-6);
}

TEST(VerdictTest, HostAndDeviceProjectionsKeepTheSoonest) {
  // 199168 B/iteration of host memory (8 GiB available: ~43000 iterations)
  // and 1 MiB/iteration on cuda:0 with 1 GiB free (1024 iterations).
  ProbeSite Site = siteWith("/src/eval.cpp", 22, 30, 199168, 0);
  for (IterationSample &Sample : Site.Samples)
    Sample.Cuda.push_back(
        {0, Sample.Iteration * (int64_t(1) << 20), int64_t(1) << 30});
  SiteEvidence E = evaluateSite(Site, reportWith({Site}), {});
  EXPECT_EQ(E.OomResource, "cuda:0");
  EXPECT_NEAR(*E.IterationsUntilOom, 1024, 1e-6);
}

Finding withRule(Finding F, const std::string &Rule) {
  F.Rule = Rule;
  return F;
}

/// An evaluation loop at flat memory whose iterations peak \p Peak bytes
/// above their end, with grad mode on or off at every boundary.
ProbeSite flatEvalSite(bool GradOn, int64_t Peak) {
  ProbeSite Site = siteWith("/src/eval.cpp", 22, 30, 0, 0);
  for (IterationSample &Sample : Site.Samples) {
    Sample.GradEnabled = GradOn;
    Sample.CpuPeakBytes = Sample.CpuTensorBytes + Peak;
  }
  return Site;
}

TEST(VerdictTest, MissingNoGradIsConfirmedByGradModeEvenWithoutGrowth) {
  auto Result = confirmFindings(
      {withRule(findingInLoop("/src/eval.cpp", 20, 26),
                "torch-missing-no-grad")},
      {reportWith({flatEvalSite(true, 120000)})}, {});
  EXPECT_EQ(Result[0].TheVerdict, Verdict::Confirmed);
  EXPECT_EQ(Result[0].TheBasis, Basis::GradModeOn);
  EXPECT_EQ(Result[0].Evidence->GradModeOnIterations, 27);
  EXPECT_DOUBLE_EQ(Result[0].Evidence->IterationPeakBytes, 120000);
}

TEST(VerdictTest, MissingNoGradWithGradModeOffIsNotConfirmed) {
  // The caller held the guard: no graph, whatever memory does.
  ProbeSite Site = siteWith("/src/eval.cpp", 22, 30, 199168, 0);
  for (IterationSample &Sample : Site.Samples)
    Sample.GradEnabled = false;
  auto Result = confirmFindings(
      {withRule(findingInLoop("/src/eval.cpp", 20, 26),
                "torch-missing-no-grad")},
      {reportWith({Site})}, {});
  EXPECT_EQ(Result[0].TheVerdict, Verdict::NotConfirmed);
  EXPECT_EQ(Result[0].TheBasis, Basis::GradModeOff);
}

TEST(VerdictTest, InferenceModeCountsAsGradModeOff) {
  ProbeSite Site = flatEvalSite(true, 120000);
  for (IterationSample &Sample : Site.Samples)
    Sample.InferenceMode = true;
  auto Result = confirmFindings(
      {withRule(findingInLoop("/src/eval.cpp", 20, 26),
                "torch-unnamed-grad-guard")},
      {reportWith({Site})}, {});
  EXPECT_EQ(Result[0].TheVerdict, Verdict::NotConfirmed);
  EXPECT_EQ(Result[0].TheBasis, Basis::GradModeOff);
}

TEST(VerdictTest, GrowthRulesIgnoreGradModeAtFlatMemory) {
  auto Result = confirmFindings({findingInLoop("/src/eval.cpp", 20, 26)},
                                {reportWith({flatEvalSite(true, 120000)})},
                                {});
  EXPECT_EQ(Result[0].TheVerdict, Verdict::NotConfirmed);
  EXPECT_EQ(Result[0].TheBasis, Basis::Flat);
}

ProbeSite automaticSite(int64_t HeapOtherGrowth) {
  ProbeSite Site = siteWith("", 0, 30, 0, HeapOtherGrowth);
  Site.Boundary = "backward-pass";
  return Site;
}

TEST(VerdictTest, TheAutomaticSiteJudgesTrainingFindingsWithoutAMarker) {
  auto Result = confirmFindings(
      {findingInLoop("/src/train.cpp", 10, 20),
       withRule(findingInLoop("/src/train.cpp", 30, 40),
                "torch-missing-no-grad")},
      {reportWith({automaticSite(6200)})}, {});
  EXPECT_EQ(Result[0].TheVerdict, Verdict::Confirmed);
  EXPECT_EQ(Result[0].Evidence->Boundary, "backward-pass");
  // Evaluation loops run no backward(): the automatic mode cannot see them.
  EXPECT_EQ(Result[1].TheVerdict, Verdict::NotExercised);
}

TEST(VerdictTest, AMarkerInsideTheLoopWinsOverTheAutomaticSite) {
  auto Result = confirmFindings(
      {findingInLoop("/src/train.cpp", 10, 20)},
      {reportWith({automaticSite(6200),
                   siteWith("/src/train.cpp", 12, 30, 0, 0)})},
      {});
  EXPECT_EQ(Result[0].TheVerdict, Verdict::NotConfirmed);
  EXPECT_TRUE(Result[0].Evidence->Boundary.empty());
}

TEST(SourcePathsTest, RelativeProbePathsMatchAbsoluteFindingPaths) {
  EXPECT_TRUE(isSameSourceFile("/work/p/examples/eval.cpp",
                               "/work/p/examples/./eval.cpp"));
  EXPECT_TRUE(isSameSourceFile("../examples/eval.cpp",
                               "/work/p/examples/eval.cpp"));
  EXPECT_TRUE(isSameSourceFile("examples/eval.cpp", "/work/p/examples/eval.cpp"));
  EXPECT_FALSE(isSameSourceFile("/a/eval.cpp", "/b/eval.cpp"));
  EXPECT_FALSE(isSameSourceFile("other/eval.cpp", "/work/p/examples/eval.cpp"));
  EXPECT_FALSE(isSameSourceFile("val.cpp", "/work/p/examples/eval.cpp"));
}

} // namespace
} // namespace torch_tidy
