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
/// warm-up shaded, and axes in B/KiB/MiB/GiB. With \p Named (sites whose
/// origins confirm has named), the CPU tensor panel of a growing site also
/// has a stacked bar of its growth by origin (class "origin", one segment
/// per origin, the rest "origin other") and a legend.
std::string
renderMemoryChart(const std::vector<RuntimeReport> &Reports,
                  const ConfirmOptions &Options,
                  const std::vector<SiteEvidence> *Named = nullptr);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_MEMORYCHART_H
