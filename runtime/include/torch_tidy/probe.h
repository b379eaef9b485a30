// torch-tidy runtime probe: measures the memory that each loop iteration
// leaves alive. Put one line in the loop body:
//
//   for (auto& batch : *loader) {
//     TORCH_TIDY_ITERATION();
//     ...
//   }
//
// and run the program with TORCH_TIDY_REPORT=report.json. Without that
// variable the probe does nothing. See docs/runtime.md.
#ifndef TORCH_TIDY_PROBE_H
#define TORCH_TIDY_PROBE_H

namespace torch_tidy::probe {

/// Marks an iteration boundary at a probe site and samples memory there.
/// Thread-safe. Does nothing unless TORCH_TIDY_REPORT is set.
void markIteration(const char *File, int Line) noexcept;

/// True when the probe is recording (TORCH_TIDY_REPORT was set at start-up).
bool isEnabled() noexcept;

/// Writes the report now (it is also written every few iterations and at
/// exit). Returns false when the probe is off or the write failed.
bool writeReport() noexcept;

} // namespace torch_tidy::probe

#ifdef TORCH_TIDY_NO_PROBE
#define TORCH_TIDY_ITERATION() ((void)0)
#else
#define TORCH_TIDY_ITERATION()                                                 \
  ::torch_tidy::probe::markIteration(__FILE__, __LINE__)
#endif

#endif // TORCH_TIDY_PROBE_H
