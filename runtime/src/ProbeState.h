// What the probe has recorded: per site, a bounded series of samples.
#ifndef TORCH_TIDY_RUNTIME_PROBESTATE_H
#define TORCH_TIDY_RUNTIME_PROBESTATE_H

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace torch_tidy::probe {

struct Sample {
  int64_t Iteration;
  int64_t TimeNs;
  int64_t CpuTensorBytes;
  int64_t CpuPeakBytes;
  int64_t HostHeapBytes;
  bool GradEnabled;
  bool InferenceMode;
};

/// The samples of one probe site. Long runs keep a bounded, evenly spaced
/// series: when full, every other sample is dropped and the stride doubles,
/// so the probe's own memory does not grow with the run.
struct SiteSeries {
  static constexpr size_t MaxSamples = 4096;

  int64_t Iterations = 0;
  int64_t Stride = 1;
  std::vector<Sample> Samples;

  /// Counts one iteration; true when it should be sampled.
  bool nextIterationIsSampled() const { return Iterations % Stride == 0; }
  void add(const Sample &S);
};

using SiteKey = std::pair<std::string, int>; // File and line.

struct ProbeSnapshot {
  std::map<SiteKey, SiteSeries> Sites;
};

} // namespace torch_tidy::probe

#endif // TORCH_TIDY_RUNTIME_PROBESTATE_H
