//===--- AnalysisWorker.h - One analysis of an editor buffer ----*- C++ -*-===//
//
// The server analyses each buffer in a child process (`torch-tidy lsp
// --worker`), as `-j` does, so that a crash or a runaway parse costs one
// diagnostic, and a stale run ends with a kill. Request and answer are JSON:
//
//   stdin:  {"file": ABS, "text": T, "directory": D, "arguments": [...]}
//   stdout: one JSON object a line: {"event": "cache-lookup-start"} and
//           {"event": "cache-lookup-end"} around the header cache's work,
//           then {"diagnostics": [...]} (see diagnosticsToJson).
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_LSP_ANALYSISWORKER_H
#define TORCH_TIDY_ANALYZER_LSP_ANALYSISWORKER_H

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"

#include <nlohmann/json.hpp>

namespace torch_tidy::lsp {

/// The worker's main: \p Argv are the program's name and the driver options
/// (--checks, --config, --cache-dir, ...) that apply to the analysis.
/// Exits 0 after writing its answer, 2 on a bad request or options.
int runAnalysisWorker(int Argc, const char **Argv);

/// clang-tidy's diagnostics as the worker writes them: byte offsets into
/// the files they name, with absolute paths:
/// [{"rule", "level": "warning"|"error"|"remark", "message", "file",
///   "offset", "notes": [{"message", "file", "offset", "fixes"}],
///   "fixes": [{"file", "offset", "length", "text"}]}]
nlohmann::json
diagnosticsToJson(llvm::ArrayRef<clang::tidy::ClangTidyError> Diagnostics);

} // namespace torch_tidy::lsp

#endif // TORCH_TIDY_ANALYZER_LSP_ANALYSISWORKER_H
