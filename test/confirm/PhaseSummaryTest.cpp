// The phase peaks that confirm prints beside the growth.
#include "PhaseSummary.h"

#include <gtest/gtest.h>

namespace torch_tidy {
namespace {

ProbeSite siteWithPhases(int Iterations) {
  ProbeSite Site;
  for (int I = 0; I < Iterations; ++I) {
    IterationSample S;
    S.Iteration = I;
    int64_t Base = I < 3 ? 100000 : 1000; // Warm-up samples are larger.
    S.Phases = {{"optimizer", Base + 1, {}, {}, {}},
                {"forward", Base + 2, {{0, Base + 20, Base + 30}}, {}, {}},
                {"backward", Base + 3, {}, {}, {}}};
    Site.Samples.push_back(S);
  }
  return Site;
}

TEST(PhaseSummary, MediansAfterWarmupInIterationOrder) {
  std::vector<PhasePeakSummary> Peaks =
      summarizePhasePeaks(siteWithPhases(10), /*Warmup=*/3);
  ASSERT_EQ(Peaks.size(), 4u);
  EXPECT_EQ(Peaks[0].Phase, "forward");
  EXPECT_EQ(Peaks[0].MedianPeakBytes, 1002);
  EXPECT_EQ(Peaks[1].Phase, "backward");
  EXPECT_EQ(Peaks[2].Phase, "optimizer");
  EXPECT_EQ(Peaks[3].Metric, "cuda:0 allocated");
  EXPECT_EQ(Peaks[3].MedianPeakBytes, 1020);
  EXPECT_EQ(describePhasePeaks(Peaks),
            "; phase peaks (median): forward 1002 B, backward 1003 B, "
            "optimizer 1001 B; cuda:0 allocated: forward 1020 B");
  nlohmann::json J = phasePeaksToJson(Peaks);
  EXPECT_EQ(J["cpu_tensor_bytes"]["backward"], 1003);
  EXPECT_EQ(J["cuda:0 allocated"]["forward"], 1020);
}

TEST(PhaseSummary, NothingWithoutPhases) {
  ProbeSite Site;
  Site.Samples.resize(8);
  EXPECT_TRUE(summarizePhasePeaks(Site, 3).empty());
  EXPECT_EQ(describePhasePeaks({}), "");
  EXPECT_TRUE(phaseSeries(Site, "cpu_tensor_bytes").empty());
}

} // namespace
} // namespace torch_tidy
