// `torch-tidy fit`: parsing its values, the line fits, the answer.
#include "FitInputs.h"
#include "FitMath.h"
#include "FitMeasurement.h"
#include "FitOutput.h"
#include "FitPlan.h"
#include "FitRunner.h"

#include <gtest/gtest.h>

namespace torch_tidy {
namespace {

constexpr int64_t MiB = int64_t(1) << 20;
constexpr int64_t GiB = int64_t(1) << 30;

TEST(FitInputs, MemorySizes) {
  std::string Error;
  EXPECT_EQ(parseMemorySize("24GiB", Error), 24 * GiB);
  EXPECT_EQ(parseMemorySize("24G", Error), 24 * GiB);
  EXPECT_EQ(parseMemorySize("24gib", Error), 24 * GiB);
  EXPECT_EQ(parseMemorySize("16GB", Error), int64_t(16000000000));
  EXPECT_EQ(parseMemorySize("512MiB", Error), 512 * MiB);
  EXPECT_EQ(parseMemorySize("1.5 GiB", Error), 3 * GiB / 2);
  EXPECT_EQ(parseMemorySize("1000", Error), 1000);
  EXPECT_EQ(parseMemorySize("2K", Error), 2048);
  EXPECT_EQ(parseMemorySize("1TB", Error), int64_t(1000000000000));
  EXPECT_TRUE(Error.empty());
}

TEST(FitInputs, BadMemorySizes) {
  for (const char *Bad : {"", "GiB", "24XB", "-1GiB", "0", "0.1", "24 G i B",
                          "nan", "inf", "1e30TiB", "24GiB!"}) {
    std::string Error;
    EXPECT_FALSE(parseMemorySize(Bad, Error)) << Bad;
    EXPECT_NE(Error.find("--memory"), std::string::npos) << Bad;
  }
}

TEST(FitInputs, BatchSizes) {
  std::string Error;
  auto Sizes = parseBatchSizes("32,8,16", Error);
  ASSERT_TRUE(Sizes);
  EXPECT_EQ(*Sizes, (std::vector<int64_t>{8, 16, 32}));
  EXPECT_FALSE(parseBatchSizes("8", Error));
  EXPECT_NE(Error.find("at least two"), std::string::npos);
  EXPECT_FALSE(parseBatchSizes("8,8", Error));
  EXPECT_NE(Error.find("twice"), std::string::npos);
  EXPECT_FALSE(parseBatchSizes("8,,16", Error));
  EXPECT_FALSE(parseBatchSizes("8,0", Error));
  EXPECT_FALSE(parseBatchSizes("8,-16", Error));
  EXPECT_FALSE(parseBatchSizes("8,16x", Error));
}

TEST(FitInputs, PercentagesAndSubstitution) {
  std::string Error;
  EXPECT_DOUBLE_EQ(*parsePercentage("10%", Error), 0.10);
  EXPECT_DOUBLE_EQ(*parsePercentage("0", Error), 0.0);
  EXPECT_FALSE(parsePercentage("95%", Error));
  EXPECT_FALSE(parsePercentage("ten", Error));
  EXPECT_EQ(substituteBatchSize("--batch-size={}", 64), "--batch-size=64");
  EXPECT_EQ(substituteBatchSize("{}x{}", 8), "8x8");
  EXPECT_EQ(substituteBatchSize("{ }", 8), "{ }");
}

TEST(FitMath, ExactLine) {
  LineFit Fit =
      fitLine({8, 16, 32}, {1000 + 8 * 100, 1000 + 16 * 100, 1000 + 32 * 100});
  EXPECT_NEAR(Fit.Intercept, 1000, 1e-6);
  EXPECT_NEAR(Fit.Slope, 100, 1e-9);
  EXPECT_TRUE(Fit.Checked);
  EXPECT_TRUE(Fit.Linear);
  EXPECT_NEAR(Fit.MaxAbsResidual, 0, 1e-6);
  EXPECT_NEAR(Fit.extrapolate(256), 1000 + 256 * 100, 1e-6);
}

TEST(FitMath, TwoPointsAreNotChecked) {
  LineFit Fit = fitLine({8, 16}, {1000, 5000});
  EXPECT_FALSE(Fit.Checked);
  EXPECT_TRUE(Fit.Linear);
  EXPECT_NEAR(Fit.Slope, 500, 1e-9);
}

TEST(FitMath, QuadraticGrowthIsNotLinearAndExtrapolatesSteeper) {
  // Bytes = n^2 * 64: a score matrix over a sequence of length n.
  std::vector<double> Sizes = {128, 256, 512};
  std::vector<double> Bytes;
  for (double N : Sizes)
    Bytes.push_back(N * N * 64);
  LineFit Fit = fitLine(Sizes, Bytes);
  EXPECT_FALSE(Fit.Linear);
  EXPECT_GT(Fit.ExtrapolationSlope, Fit.Slope);
  // Through the two largest points.
  EXPECT_NEAR(Fit.extrapolate(512), 512.0 * 512 * 64, 1e-3);
  EXPECT_NEAR(Fit.extrapolate(256), 256.0 * 256 * 64, 1e-3);
}

TEST(FitMath, SmallJitterStaysLinear) {
  LineFit Fit = fitLine({8, 16, 32}, {1e6 + 800, 1e6 + 1600 + 512, 1e6 + 3200});
  EXPECT_TRUE(Fit.Linear); // 512 bytes off: allocator alignment, not shape.
}

TEST(FitMath, LargestWithin) {
  LineFit Fit = fitLine({1, 2, 3}, {1100, 1200, 1300}); // 1000 + 100 b.
  EXPECT_EQ(largestWithin(Fit, 2000, 1), 10);
  EXPECT_EQ(largestWithin(Fit, 1999, 1), 9);
  EXPECT_EQ(largestWithin(Fit, 2200, 1.1), 10);
  EXPECT_EQ(largestWithin(Fit, 500, 1), 0);
  LineFit Flat = fitLine({1, 2, 3}, {1000, 1000, 1000});
  EXPECT_FALSE(largestWithin(Flat, 2000, 1)); // Unbounded.
  EXPECT_EQ(largestWithin(Flat, 500, 1), 0);
}

TEST(FitMath, Accumulation) {
  Accumulation A = accumulationFor(1024, 300);
  EXPECT_EQ(A.Steps, 4);
  EXPECT_EQ(A.MicroBatchSize, 256);
  EXPECT_EQ(A.LastMicroBatchSize, 256);
  Accumulation B = accumulationFor(1000, 300);
  EXPECT_EQ(B.Steps, 4);
  EXPECT_EQ(B.MicroBatchSize, 250);
  Accumulation C = accumulationFor(1001, 300);
  EXPECT_EQ(C.Steps, 4);
  EXPECT_EQ(C.MicroBatchSize, 251);
  EXPECT_EQ(C.LastMicroBatchSize, 248);
  EXPECT_EQ(accumulationFor(64, 300).Steps, 1);
}

TEST(FitMath, AllAboutEqual) {
  EXPECT_TRUE(allAboutEqual({1e6, 1e6, 1e6}));
  EXPECT_TRUE(allAboutEqual({1e6, 1e6 + 100, 1e6 + 900}));
  EXPECT_FALSE(allAboutEqual({1e6, 1e6 + 2000}));
  EXPECT_FALSE(allAboutEqual({1e6, 1.1e6}));
}

/// A report of a marker site whose sample i has the given phase peaks.
RuntimeReport reportWithPhases(int Iterations, int64_t Boundary,
                               int64_t Forward, int64_t Backward,
                               int64_t Optimizer) {
  RuntimeReport Report;
  ProbeSite Site;
  Site.File = "train.cpp";
  Site.Line = 10;
  for (int I = 0; I <= Iterations; ++I) {
    IterationSample S;
    S.Iteration = I;
    S.CpuTensorBytes = Boundary;
    // The start-up sample is larger than any iteration: it must be skipped.
    int64_t Extra = I == 0 ? 100 * MiB : 0;
    S.Phases = {{"forward", Forward + Extra, {}, {}, {}},
                {"backward", Backward, {}, {Backward - 10, Backward}, {}},
                {"optimizer", Optimizer, {}, {}, {}}};
    Site.Samples.push_back(S);
  }
  Report.Sites.push_back(Site);
  return Report;
}

TEST(FitMeasurement, SkipsStartUpAndKeepsPhaseOrder) {
  std::string Problem;
  auto M = measureReport(reportWithPhases(3, MiB, 2 * MiB, 3 * MiB, MiB), 8,
                         Problem);
  ASSERT_TRUE(M);
  EXPECT_EQ(M->Iterations, 3);
  ASSERT_EQ(M->Phases.size(), 3u);
  EXPECT_EQ(M->Phases[0].Phase, "forward");
  EXPECT_EQ(M->Phases[0].CpuPeakBytes, 2 * MiB);
  EXPECT_EQ(M->Phases[1].CpuWindowPeaks.size(), 2u);
  EXPECT_EQ(M->peakBytes(false), 3 * MiB);
}

TEST(FitMeasurement, NoWholeIteration) {
  std::string Problem;
  EXPECT_FALSE(
      measureReport(reportWithPhases(0, MiB, MiB, MiB, MiB), 8, Problem));
  EXPECT_NE(Problem.find("before a whole iteration"), std::string::npos);
  EXPECT_FALSE(measureReport(RuntimeReport(), 8, Problem));
  EXPECT_NE(Problem.find("never reached an iteration boundary"),
            std::string::npos);
}

TEST(FitMeasurement, AMarkerWithoutAWholeIterationYieldsToTheAutomaticSite) {
  RuntimeReport Report = reportWithPhases(0, MiB, 2 * MiB, 3 * MiB, MiB);
  RuntimeReport Automatic = reportWithPhases(4, MiB, 5 * MiB, 6 * MiB, MiB);
  Automatic.Sites[0].Boundary = "backward-pass";
  Report.Sites.push_back(Automatic.Sites[0]);
  std::string Problem;
  auto M = measureReport(Report, 8, Problem);
  ASSERT_TRUE(M) << Problem;
  EXPECT_EQ(M->Iterations, 4);
  EXPECT_EQ(M->peakBytes(false), 6 * MiB);
}

TEST(FitMeasurement, PrefersMarkerSites) {
  RuntimeReport Report = reportWithPhases(2, MiB, 2 * MiB, 3 * MiB, MiB);
  RuntimeReport Automatic = reportWithPhases(5, MiB, 9 * MiB, 9 * MiB, MiB);
  Automatic.Sites[0].Boundary = "backward-pass";
  Report.Sites.push_back(Automatic.Sites[0]);
  std::string Problem;
  auto M = measureReport(Report, 8, Problem);
  ASSERT_TRUE(M);
  EXPECT_EQ(M->Iterations, 2);
  EXPECT_EQ(M->peakBytes(false), 3 * MiB);
}

/// A run whose phases grow linearly: boundary B, forward B + F b, backward
/// windows W1 = B + 2 F b + 1 MiB (peak at small b: a fixed buffer) and
/// W2 = B + 4 F b (peak at large b).
BatchMeasurement linearRun(int64_t BatchSize) {
  const double B = 10 * MiB, F = 1000;
  BatchMeasurement M;
  M.BatchSize = BatchSize;
  M.Iterations = 3;
  M.BoundaryCpuBytes = B;
  double W1 = B + 2 * F * BatchSize + MiB, W2 = B + 4 * F * BatchSize;
  M.Phases = {{"forward", B + F * BatchSize, 0, 0, {}, {}, false},
              {"backward", std::max(W1, W2), 0, 0, {W1, W2}, {}, false},
              {"optimizer", B + 0.5 * MiB, 0, 0, {}, {}, false}};
  return M;
}

FitOptions cpuOptions(int64_t Memory) {
  FitOptions O;
  O.MemoryBytes = Memory;
  O.Target = FitTarget::Cpu;
  O.SafetyMargin = 0.10;
  return O;
}

TEST(FitPlan, WindowsFollowTheMovingPeak) {
  // At 8, 16, 32 the fixed buffer's window is the peak; the other window
  // overtakes it from b = 512 on. One line through the peaks would say
  // 2 KB/sample; the windows say 4 KB/sample.
  FitOptions O = cpuOptions(GiB);
  O.PredictAt = 4096;
  FitAnswer A = planFit({linearRun(8), linearRun(16), linearRun(32)}, O);
  ASSERT_EQ(A.Phases.size(), 3u);
  EXPECT_EQ(A.Phases[1].Windows.size(), 2u);
  EXPECT_TRUE(A.Phases[1].linear());
  ASSERT_TRUE(A.Prediction);
  EXPECT_NEAR(A.Prediction->PeakBytes, 10.0 * MiB + 4000.0 * 4096, 1);
  // 0.9 GiB usable: (0.9 GiB - 10 MiB) / 4000 bytes per sample.
  ASSERT_TRUE(A.LargestBatchSize);
  EXPECT_EQ(*A.LargestBatchSize,
            static_cast<int64_t>((0.9 * GiB - 10.0 * MiB) / 4000));
  EXPECT_EQ(A.LimitingPhase, "backward");
  EXPECT_EQ(A.Overhead.Source, "none");
  EXPECT_TRUE(A.Warnings.empty());
}

TEST(FitPlan, CudaTargetAddsTheModelledOverhead) {
  FitOptions O = cpuOptions(GiB);
  O.Target = FitTarget::Cuda;
  FitAnswer A = planFit({linearRun(8), linearRun(16), linearRun(32)}, O);
  EXPECT_EQ(A.Overhead.Source, "model");
  double Usable = 0.9 * GiB - ModelContextBytes - ModelWorkspaceBytes;
  ASSERT_TRUE(A.LargestBatchSize);
  EXPECT_EQ(*A.LargestBatchSize,
            static_cast<int64_t>(
                (Usable / (1 + ModelRoundingShare) - 10.0 * MiB) / 4000));
  std::string Text = fitToText(A);
  EXPECT_NE(Text.find("device overhead (model, not measured"),
            std::string::npos);
}

TEST(FitPlan, OutOfMemoryBoundsTheAnswer) {
  BatchMeasurement Oom;
  Oom.BatchSize = 100;
  Oom.OutOfMemory = true;
  Oom.OutOfMemoryDetail = "CPU out of memory";
  FitAnswer A = planFit({linearRun(8), linearRun(16), linearRun(32), Oom},
                        cpuOptions(GiB));
  ASSERT_TRUE(A.LargestBatchSize);
  EXPECT_EQ(*A.LargestBatchSize, 99);
  ASSERT_EQ(A.Warnings.size(), 1u);
  EXPECT_NE(A.Warnings[0].find("batch size 100 ran out of memory"),
            std::string::npos);
  nlohmann::json J = fitToJson(A);
  EXPECT_EQ(J["largest_batch_size"], 99);
  EXPECT_EQ(J["measured"][3]["out_of_memory"], true);
}

TEST(FitPlan, NothingFitsAndTargetBatch) {
  FitAnswer None = planFit({linearRun(8), linearRun(16)}, cpuOptions(5 * MiB));
  ASSERT_TRUE(None.LargestBatchSize);
  EXPECT_EQ(*None.LargestBatchSize, 0);

  FitOptions O = cpuOptions(64 * MiB);
  O.TargetBatch = 100000;
  FitAnswer A = planFit({linearRun(8), linearRun(16), linearRun(32)}, O);
  ASSERT_TRUE(A.ForTargetBatch);
  EXPECT_GT(A.ForTargetBatch->Steps, 1);
  EXPECT_LE(A.ForTargetBatch->MicroBatchSize, *A.LargestBatchSize);
  EXPECT_GE(A.ForTargetBatch->MicroBatchSize * A.ForTargetBatch->Steps, 100000);
}

TEST(FitPlan, MixedPrecisionEstimateAndMeasurement) {
  FitAnswer A =
      planFit({linearRun(8), linearRun(16), linearRun(32)}, cpuOptions(GiB));
  EXPECT_FALSE(A.Mixed.Measured);
  int64_t At = *A.LargestBatchSize;
  EXPECT_EQ(A.Mixed.AtBatchSize, At);
  EXPECT_NEAR(A.Mixed.ActivationBytes, 1000.0 * At, 1);
  EXPECT_NEAR(A.Mixed.EstimatedSavingBytes, 500.0 * At, 1);
  ASSERT_TRUE(A.Mixed.EstimatedLargestBatchSize);
  EXPECT_NEAR(static_cast<double>(*A.Mixed.EstimatedLargestBatchSize), 2.0 * At,
              2);
  EXPECT_NE(fitToText(A).find("(estimate, not measured)"), std::string::npos);

  std::vector<BatchMeasurement> Runs = {linearRun(8), linearRun(16)};
  Runs[0].AutocastDevices = {"cpu"};
  FitAnswer Measured = planFit(Runs, cpuOptions(GiB));
  EXPECT_TRUE(Measured.Mixed.Measured);
  EXPECT_NE(fitToText(Measured).find("measured: the program runs under "
                                     "autocast (cpu)"),
            std::string::npos);
}

TEST(FitPlan, NonLinearGrowthWarns) {
  std::vector<BatchMeasurement> Runs;
  for (int64_t N : {128, 256, 512}) {
    BatchMeasurement M;
    M.BatchSize = N;
    M.Iterations = 2;
    M.Phases = {{"forward", 64.0 * N * N, 0, 0, {}, {}, false}};
    Runs.push_back(M);
  }
  FitAnswer A = planFit(Runs, cpuOptions(GiB));
  ASSERT_EQ(A.Warnings.size(), 1u);
  EXPECT_NE(A.Warnings[0].find("does not grow linearly"), std::string::npos);
}

TEST(FitRunner, LastLines) {
  EXPECT_EQ(lastLines("a\n\nb\nc\n", 2), "  | b\n  | c\n");
  EXPECT_EQ(lastLines("", 5), "");
}

} // namespace
} // namespace torch_tidy
