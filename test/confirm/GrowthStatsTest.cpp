// Slope statistics on synthetic memory series.
#include "GrowthStats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace torch_tidy {
namespace {

std::vector<double> iterations(int N) {
  std::vector<double> X;
  for (int I = 0; I < N; ++I)
    X.push_back(I);
  return X;
}

TEST(GrowthStatsTest, SteadyGrowthGivesItsSlopeAndFullSteadiness) {
  std::vector<double> X = iterations(30), Y;
  for (double I : X)
    Y.push_back(1e6 + 199168 * I);
  GrowthFit Fit = fitGrowth(X, Y);
  EXPECT_DOUBLE_EQ(Fit.SlopePerIteration, 199168);
  EXPECT_DOUBLE_EQ(Fit.Intercept, 1e6);
  EXPECT_DOUBLE_EQ(Fit.KendallTau, 1.0);
  EXPECT_EQ(Fit.Samples, 30);
}

TEST(GrowthStatsTest, AOneOffStepIsNotSteadyGrowth) {
  // Optimizer state created on one step, then flat.
  std::vector<double> X = iterations(30), Y;
  for (double I : X)
    Y.push_back(I < 10 ? 1e6 : 3e6);
  GrowthFit Fit = fitGrowth(X, Y);
  EXPECT_EQ(Fit.SlopePerIteration, 0);
  EXPECT_LT(Fit.KendallTau, 0.5);
}

TEST(GrowthStatsTest, OneOutlierBarelyMovesTheSlope) {
  std::vector<double> X = iterations(30), Y;
  for (double I : X)
    Y.push_back(5000 * I);
  Y[17] += 1e9;
  EXPECT_NEAR(fitGrowth(X, Y).SlopePerIteration, 5000, 1);
}

TEST(GrowthStatsTest, NoiseAroundAFlatLineHasNoSteadyGrowth) {
  std::mt19937 Random(42);
  std::uniform_real_distribution<double> Noise(-4096, 4096);
  std::vector<double> X = iterations(100), Y;
  for (size_t I = 0; I < X.size(); ++I)
    Y.push_back(1e6 + Noise(Random));
  GrowthFit Fit = fitGrowth(X, Y);
  EXPECT_LT(std::fabs(Fit.SlopePerIteration), 200);
  EXPECT_LT(std::fabs(Fit.KendallTau), 0.3);
}

TEST(GrowthStatsTest, ACachingAllocatorSawtoothIsNotGrowth) {
  // Reserved memory that climbs and is released every 8 iterations.
  std::vector<double> X = iterations(64), Y;
  for (double I : X)
    Y.push_back(1e6 + std::fmod(I, 8) * 65536);
  GrowthFit Fit = fitGrowth(X, Y);
  EXPECT_LT(Fit.KendallTau, 0.3);
}

TEST(GrowthStatsTest, LongSeriesAreThinnedButKeepTheirSlope) {
  std::vector<double> X = iterations(5000), Y;
  for (double I : X)
    Y.push_back(300 * I);
  GrowthFit Fit = fitGrowth(X, Y);
  EXPECT_LE(Fit.Samples, 512);
  EXPECT_DOUBLE_EQ(Fit.SlopePerIteration, 300);
}

TEST(GrowthStatsTest, TooFewPointsGiveNoSlope) {
  GrowthFit Fit = fitGrowth({1}, {5});
  EXPECT_EQ(Fit.Samples, 1);
  EXPECT_EQ(Fit.SlopePerIteration, 0);
}

} // namespace
} // namespace torch_tidy
