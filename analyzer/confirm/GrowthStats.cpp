//===--- GrowthStats.cpp - Robust growth per iteration --------------------===//

#include "GrowthStats.h"

#include <algorithm>
#include <cstddef>

namespace torch_tidy {

namespace {

// Pairwise statistics are quadratic; long runs are thinned evenly first.
constexpr std::size_t MaxPoints = 512;

} // namespace

double median(std::vector<double> Values) {
  if (Values.empty())
    return 0;
  std::size_t Mid = Values.size() / 2;
  std::nth_element(Values.begin(), Values.begin() + Mid, Values.end());
  double Upper = Values[Mid];
  if (Values.size() % 2 == 1)
    return Upper;
  double Lower = *std::max_element(Values.begin(), Values.begin() + Mid);
  return (Lower + Upper) / 2;
}

GrowthFit fitGrowth(const std::vector<double> &XIn,
                    const std::vector<double> &YIn) {
  std::vector<double> X, Y;
  std::size_t N = std::min(XIn.size(), YIn.size());
  std::size_t Step = N > MaxPoints ? (N + MaxPoints - 1) / MaxPoints : 1;
  for (std::size_t I = 0; I < N; I += Step) {
    X.push_back(XIn[I]);
    Y.push_back(YIn[I]);
  }
  GrowthFit Fit;
  Fit.Samples = static_cast<int>(X.size());
  if (X.size() < 2)
    return Fit;

  std::vector<double> Slopes;
  long Concordant = 0, Discordant = 0, Pairs = 0;
  for (std::size_t I = 0; I < X.size(); ++I)
    for (std::size_t J = I + 1; J < X.size(); ++J) {
      double DX = X[J] - X[I], DY = Y[J] - Y[I];
      if (DX == 0)
        continue;
      Slopes.push_back(DY / DX);
      ++Pairs;
      double Sign = DX * DY;
      if (Sign > 0)
        ++Concordant;
      else if (Sign < 0)
        ++Discordant;
    }
  Fit.SlopePerIteration = median(Slopes);
  std::vector<double> Intercepts;
  for (std::size_t I = 0; I < X.size(); ++I)
    Intercepts.push_back(Y[I] - Fit.SlopePerIteration * X[I]);
  Fit.Intercept = median(Intercepts);
  Fit.KendallTau =
      Pairs ? static_cast<double>(Concordant - Discordant) / Pairs : 0;
  return Fit;
}

} // namespace torch_tidy
