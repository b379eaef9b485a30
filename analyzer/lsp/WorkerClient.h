//===--- WorkerClient.h - Start and watch an analysis worker ----*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_LSP_WORKERCLIENT_H
#define TORCH_TIDY_ANALYZER_LSP_WORKERCLIENT_H

#include "llvm/ADT/StringRef.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace torch_tidy::lsp {

struct WorkerOutcome {
  enum Kind { Answered, Cancelled, Failed };
  Kind Result = Failed;
  nlohmann::json Diagnostics; // Answered: the worker's "diagnostics".
  std::string Failure;        // Failed: why, in one line.
};

/// Runs `Executable Arguments...` with \p Request on its standard input and
/// waits for its answer (AnalysisWorker.h). Calls \p OnEvent with each event
/// line as it arrives and \p OnTick about every 20 ms; kills the worker when
/// \p Cancel becomes true or after \p TimeoutSeconds (0: never).
WorkerOutcome runWorker(const std::string &Executable,
                        const std::vector<std::string> &Arguments,
                        const nlohmann::json &Request,
                        const std::atomic<bool> &Cancel,
                        unsigned TimeoutSeconds,
                        const std::function<void(llvm::StringRef)> &OnEvent,
                        const std::function<void()> &OnTick);

} // namespace torch_tidy::lsp

#endif // TORCH_TIDY_ANALYZER_LSP_WORKERCLIENT_H
