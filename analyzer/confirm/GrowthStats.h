//===--- GrowthStats.h - Robust growth per iteration ------------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_GROWTHSTATS_H
#define TORCH_TIDY_ANALYZER_CONFIRM_GROWTHSTATS_H

#include <vector>

namespace torch_tidy {

struct GrowthFit {
  double SlopePerIteration = 0; // Theil-Sen: median of pairwise slopes.
  double Intercept = 0;         // Median of y - slope * x.
  double KendallTau = 0;        // -1..1; 1 when every later sample is larger.
  int Samples = 0;
};

/// Fits y against x robustly: one outlier or a one-off step barely moves
/// the slope, and tau measures how steady the growth is.
/// The median of \p Values; 0 for none.
double median(std::vector<double> Values);

GrowthFit fitGrowth(const std::vector<double> &X, const std::vector<double> &Y);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_GROWTHSTATS_H
