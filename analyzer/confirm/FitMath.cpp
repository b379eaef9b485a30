//===--- FitMath.cpp - Peak memory against batch size ---------------------===//

#include "FitMath.h"

#include <algorithm>
#include <cmath>

namespace torch_tidy {

LineFit fitLine(const std::vector<double> &BatchSizes,
                const std::vector<double> &Bytes) {
  LineFit Fit;
  size_t N = std::min(BatchSizes.size(), Bytes.size());
  if (N == 0)
    return Fit;
  double MeanX = 0, MeanY = 0;
  for (size_t I = 0; I < N; ++I) {
    MeanX += BatchSizes[I] / N;
    MeanY += Bytes[I] / N;
  }
  double Sxx = 0, Sxy = 0;
  for (size_t I = 0; I < N; ++I) {
    Sxx += (BatchSizes[I] - MeanX) * (BatchSizes[I] - MeanX);
    Sxy += (BatchSizes[I] - MeanX) * (Bytes[I] - MeanY);
  }
  Fit.Slope = Sxx > 0 ? Sxy / Sxx : 0;
  Fit.Intercept = MeanY - Fit.Slope * MeanX;
  for (size_t I = 0; I < N; ++I) {
    double Residual = Bytes[I] - Fit.at(BatchSizes[I]);
    Fit.Residuals.push_back(Residual);
    Fit.MaxAbsResidual = std::max(Fit.MaxAbsResidual, std::fabs(Residual));
  }
  Fit.ExtrapolationIntercept = Fit.Intercept;
  Fit.ExtrapolationSlope = Fit.Slope;
  Fit.Checked = N >= 3;
  if (!Fit.Checked)
    return Fit;
  auto [Low, High] = std::minmax_element(Bytes.begin(), Bytes.begin() + N);
  double Range = *High - *Low;
  Fit.Linear =
      Fit.MaxAbsResidual <= std::max(NonLinearShare * Range, MinNonLinearBytes);
  if (Fit.Linear)
    return Fit;
  // Growth that speeds up is under-predicted by the least-squares line;
  // the last segment's slope is the better (still optimistic) guess.
  double DX = BatchSizes[N - 1] - BatchSizes[N - 2];
  double LastSlope = DX > 0 ? (Bytes[N - 1] - Bytes[N - 2]) / DX : Fit.Slope;
  if (LastSlope > Fit.Slope) {
    Fit.ExtrapolationSlope = LastSlope;
    Fit.ExtrapolationIntercept = Bytes[N - 1] - LastSlope * BatchSizes[N - 1];
  }
  return Fit;
}

bool allAboutEqual(const std::vector<double> &Bytes) {
  if (Bytes.empty())
    return true;
  auto [Low, High] = std::minmax_element(Bytes.begin(), Bytes.end());
  return *High - *Low <= 0.001 * std::fabs(*High);
}

std::optional<int64_t> largestWithin(const LineFit &Fit, double Budget,
                                     double Scale) {
  double Room = Budget / Scale - Fit.ExtrapolationIntercept;
  if (Fit.ExtrapolationSlope <= 0)
    return Room >= 0 ? std::nullopt : std::optional<int64_t>(0);
  // The epsilon keeps an exact fit (2200 / 1.1) from rounding one down.
  double Largest = std::floor(Room / Fit.ExtrapolationSlope + 1e-9);
  if (Largest < 0)
    return 0;
  return static_cast<int64_t>(std::min(Largest, std::ldexp(1.0, 53)));
}

Accumulation accumulationFor(int64_t Target, int64_t Largest) {
  Accumulation A;
  if (Target <= 0 || Largest <= 0)
    return A;
  A.Steps = (Target + Largest - 1) / Largest;
  A.MicroBatchSize = (Target + A.Steps - 1) / A.Steps;
  A.LastMicroBatchSize = Target - A.MicroBatchSize * (A.Steps - 1);
  return A;
}

} // namespace torch_tidy
