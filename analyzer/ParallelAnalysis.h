//===--- ParallelAnalysis.h - One worker process per file -------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_PARALLELANALYSIS_H
#define TORCH_TIDY_ANALYZER_PARALLELANALYSIS_H

#include "DriverOptions.h"
#include "FindingsCache.h"
#include "FindingsFromDiagnostics.h"

#include <string>
#include <vector>

namespace torch_tidy {

/// Analyses each file in a worker process (this executable, run again with
/// the same arguments plus --worker-file/--worker-output), Settings.Jobs at
/// a time. A worker that crashes or passes --timeout costs only its file: it
/// becomes an analysis error and the run goes on. Clang-style output of the
/// workers is printed in file order when the format is clang. With
/// \p Reuse, a file whose cached findings are still valid is not analysed
/// again, and what the workers give is kept for the next run.
AnalysisResult analyseInWorkers(const std::vector<std::string> &Files,
                                const std::vector<const char *> &Arguments,
                                const DriverSettings &Settings,
                                FindingsCache *Reuse = nullptr);

/// What a summary worker (`--worker-summaries`) gave for one file: its
/// translation unit's summaries as JSON, or why there are none.
struct SummaryWorkerResult {
  std::string Summaries;
  std::string Problem;
  std::string CacheLog; // Its --cache-log lines.
};

/// Summarises each of \p Files in a worker process of its own, -j at once,
/// each stopped after --timeout.
std::vector<SummaryWorkerResult>
summariseInWorkers(const std::vector<std::string> &Files,
                   const std::vector<const char *> &Arguments,
                   const DriverSettings &Settings);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_PARALLELANALYSIS_H
