//===--- FitRunner.h - Runs the program at a batch size ---------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_FITRUNNER_H
#define TORCH_TIDY_ANALYZER_CONFIRM_FITRUNNER_H

#include "FitMeasurement.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace torch_tidy {

struct FitRunRequest {
  std::vector<std::string> Command; // "{}" becomes the batch size.
  int64_t BatchSize = 0;
  int64_t Iterations = 6;
  std::string WorkDir;    // Reports and output logs go here.
  std::string Preload;    // LD_PRELOAD for an unchanged binary; may be "".
  int TimeoutSeconds = 0; // 0: none.
};

struct FitRunResult {
  /// CannotWrite: the run's logs could not be made in the work folder.
  enum class Outcome { Measured, OutOfMemory, Failed, CannotWrite };
  Outcome What = Outcome::Failed;
  /// Failed, CannotWrite: one line; OutOfMemory: what happened.
  std::string Problem;
  std::string StderrTail; // The run's last lines of standard error.
  std::string ReportPath;
  std::optional<BatchMeasurement> Measurement; // Measured and OutOfMemory.
  bool EndedEarly = false; // Exited before the iterations asked for.
};

/// Runs the command once at \p Request.BatchSize with the probe on
/// (TORCH_TIDY_REPORT, TORCH_TIDY_STOP_AFTER, TORCH_TIDY_BATCH_SIZE and the
/// automatic mode in its environment), and reads its report.
FitRunResult runAtBatchSize(const FitRunRequest &Request);

/// The last \p Lines non-empty lines of \p Text, each indented by "  | ".
std::string lastLines(const std::string &Text, int Lines);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_FITRUNNER_H
