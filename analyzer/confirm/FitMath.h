//===--- FitMath.h - Peak memory against batch size -------------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_FITMATH_H
#define TORCH_TIDY_ANALYZER_CONFIRM_FITMATH_H

#include <cstdint>
#include <optional>
#include <vector>

namespace torch_tidy {

/// A least-squares line through (batch size, bytes), and how well it fits.
struct LineFit {
  double Intercept = 0;          // Bytes at batch size 0: what does not scale.
  double Slope = 0;              // Bytes per sample.
  std::vector<double> Residuals; // Measured minus fitted, per point.
  double MaxAbsResidual = 0;
  /// Three or more points: the residuals could show curvature. Two points
  /// always lie on a line.
  bool Checked = false;
  bool Linear = true;
  /// The line used to extrapolate: this one, or, when the growth is not
  /// linear and speeds up with the batch size, the steeper line through
  /// the two largest points (so the answer errs towards fitting).
  double ExtrapolationIntercept = 0;
  double ExtrapolationSlope = 0;

  double at(double BatchSize) const { return Intercept + Slope * BatchSize; }
  double extrapolate(double BatchSize) const {
    return ExtrapolationIntercept + ExtrapolationSlope * BatchSize;
  }
};

/// Residuals larger than this share of the measured range (and than
/// MinNonLinearBytes) make a fit non-linear: a linear program's peaks lie
/// on a line to within allocator alignment.
inline constexpr double NonLinearShare = 0.02;
inline constexpr double MinNonLinearBytes = 4096;

/// Fits \p Bytes against \p BatchSizes (same length, at least two distinct
/// batch sizes, ascending).
LineFit fitLine(const std::vector<double> &BatchSizes,
                const std::vector<double> &Bytes);

/// True when all of \p Bytes lie within 0.1% of each other: the batch
/// size changed nothing (a program that ignores it repeats its peak to the
/// byte; one sample more of a small model changes it by more).
bool allAboutEqual(const std::vector<double> &Bytes);

/// The largest batch size B >= 0 with Scale * Fit.extrapolate(B) <=
/// Budget; nullopt when the line does not rise (no batch size is too
/// large) and its start fits.
std::optional<int64_t> largestWithin(const LineFit &Fit, double Budget,
                                     double Scale);

/// Reaching \p Target samples per optimizer step with batches of at most
/// \p Largest: the fewest steps, and the batch size of each.
struct Accumulation {
  int64_t MicroBatchSize = 0;
  int64_t Steps = 0;
  int64_t LastMicroBatchSize = 0; // Smaller when Steps does not divide.
};
Accumulation accumulationFor(int64_t Target, int64_t Largest);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_FITMATH_H
