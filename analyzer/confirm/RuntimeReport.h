//===--- RuntimeReport.h - Reading the probe's reports ----------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_RUNTIMEREPORT_H
#define TORCH_TIDY_ANALYZER_CONFIRM_RUNTIMEREPORT_H

#include <cstdint>
#include <string>
#include <vector>

namespace torch_tidy {

/// Memory at one iteration boundary of one probe site.
struct IterationSample {
  int64_t Iteration = 0;
  int64_t CpuTensorBytes = 0;
  int64_t CpuPeakBytes = 0;
  int64_t HostHeapBytes = 0;
  bool GradEnabled = false;
};

struct ProbeSite {
  std::string File;
  int Line = 0;
  std::vector<IterationSample> Samples;
};

struct RuntimeReport {
  std::string Path;
  int64_t HostAvailableBytes = 0;
  std::vector<ProbeSite> Sites;
};

/// Reads one report; throws InputError naming the file and the problem for
/// missing, truncated, malformed or future-version reports.
RuntimeReport readRuntimeReport(const std::string &Path);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_RUNTIMEREPORT_H
