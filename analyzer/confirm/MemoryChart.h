//===--- MemoryChart.h - Memory per iteration as an SVG chart ---*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_MEMORYCHART_H
#define TORCH_TIDY_ANALYZER_CONFIRM_MEMORYCHART_H

#include "RuntimeReport.h"
#include "Verdict.h"

#include <string>
#include <vector>

namespace torch_tidy {

/// A self-contained SVG document: one panel per probe site and metric
/// (CPU tensor bytes, host heap outside tensors, each CUDA device's
/// allocated bytes), rows by site. Each panel has the samples as a
/// polyline (class "series"), the Theil-Sen line fitted after the warm-up
/// (class "fit"; only when at least two samples follow the warm-up), the
/// warm-up shaded, and axes in B/KiB/MiB/GiB.
std::string renderMemoryChart(const std::vector<RuntimeReport> &Reports,
                              const ConfirmOptions &Options);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_MEMORYCHART_H
