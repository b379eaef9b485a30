//===--- DriverOptions.h - torch-tidy's command-line options ----*- C++ -*-===//
//
// clang-tidy's core options with clang-tidy's meaning, plus ours (output
// formats, -j, --timeout, --shard, --fail-on). The values are read after
// CommonOptionsParser ran.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_DRIVEROPTIONS_H
#define TORCH_TIDY_ANALYZER_DRIVEROPTIONS_H

#include "ConfigFileErrors.h"
#include "ReportFormats.h"

#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/Support/CommandLine.h"

#include <memory>
#include <string>

namespace torch_tidy {

llvm::cl::OptionCategory &driverOptionCategory();

struct DriverSettings {
  ReportFormat Format = ReportFormat::Clang;
  std::string OutputPath;
  std::string SourceRoot;
  bool SourceRootGiven = false;
  unsigned Jobs = 1;
  unsigned TimeoutSeconds = 0;
  unsigned ShardIndex = 0; // 0-based.
  unsigned ShardCount = 1;
  bool FailOnWarning = false;
  bool Fix = false;
  bool FixErrors = false;
  std::string ExportFixesPath;
  /// --instrument: put the probe's marker into each loop with a finding.
  bool Instrument = false;
  /// --instrument-dir, absolute: write instrumented copies there instead.
  std::string InstrumentDir;
  bool Quiet = false;
  bool ListChecks = false;
  bool DumpConfig = false;
  bool ExplainConfig = false;
  /// The header cache's directory; "" with --no-cache.
  std::string CacheDirectory;
  /// Skips the user-code traversal scope (hidden; bench/analysis).
  bool TraverseAllDecls = false;
  /// Says what the header cache did for each file (hidden; tests).
  bool CacheLog = false;
  /// Summarise the whole project first (off with --no-project).
  bool Project = true;
  /// The project summaries the checks read: --project-summaries, or the
  /// file the driver merged.
  std::string ProjectSummariesPath;
  /// `torch-tidy summarize`: write the merged summaries to OutputPath and
  /// run no checks.
  bool SummarizeOnly = false;
  // Set in the worker processes that a parallel run starts.
  std::string WorkerFile;
  std::string WorkerOutput;
  /// The worker summarises its file instead of analysing it.
  bool WorkerSummaries = false;
};

/// Reads the parsed options; on a bad value returns false with a one-line
/// message.
bool readDriverSettings(DriverSettings &Settings, std::string &Error);

/// The options provider for clang-tidy's machinery: defaults, .clang-tidy
/// files (or --config / --config-file), then command-line overrides. Null
/// with a message when --config or --config-file is malformed; the
/// .clang-tidy files it reads later keep their errors in \p FileErrors.
std::unique_ptr<clang::tidy::ClangTidyOptionsProvider>
makeOptionsProvider(const DriverSettings &Settings,
                    std::shared_ptr<ConfigFileErrors> FileErrors,
                    std::string &Error);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_DRIVEROPTIONS_H
