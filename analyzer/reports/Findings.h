//===--- Findings.h - The findings file, written and read -------*- C++ -*-===//
//
// The versioned JSON schema that `torch-tidy --format=json` writes and
// `torch-tidy confirm` reads. See docs/formats.md.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_REPORTS_FINDINGS_H
#define TORCH_TIDY_ANALYZER_REPORTS_FINDINGS_H

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace torch_tidy {

inline constexpr const char *FindingsSchemaName = "torch-tidy-findings";
inline constexpr int FindingsSchemaVersion = 1;

struct SourcePosition {
  int Line = 0;
  int Column = 0;
};

/// A source range within one file, e.g. the loop that a finding is about.
struct SourceSpan {
  std::string File;
  SourcePosition Begin;
  SourcePosition End;
};

/// Another check's finding that this one reports for it, as a note: one
/// defect seen by two checks (rules/model/DefectOverlaps.h).
struct IncludedFinding {
  std::string Rule;
  std::string File;
  SourcePosition Position;
};

struct Finding {
  std::string Id; // Stable across unrelated edits above the finding.
  std::string Rule;
  std::string Severity; // "warning" or "error".
  std::string File;
  SourcePosition Position;
  std::string Message;
  std::optional<SourceSpan> Loop;
  /// The loop's body, for `torch-tidy --instrument` only (it travels from
  /// worker processes in "loop": {"body": ...}): from its '{' to its '}',
  /// or from the end of the loop header to the body's ';'.
  std::optional<SourceSpan> LoopBody;
  std::vector<IncludedFinding> Includes;
};

/// A translation unit that could not be analysed cleanly.
struct AnalysisError {
  std::string File;
  SourcePosition Position;
  std::string Message;
};

nlohmann::json findingsToJson(const std::vector<Finding> &Findings,
                              const std::vector<AnalysisError> &Errors);

/// Reads a findings file; throws InputError naming the file and the problem.
std::vector<Finding> readFindingsFile(const std::string &Path);

/// The findings and errors of a parsed findings document; \p Path names it
/// in errors.
std::vector<Finding> readFindingsJson(const nlohmann::json &Root,
                                      const std::string &Path);
std::vector<AnalysisError> readAnalysisErrorsJson(const nlohmann::json &Root,
                                                  const std::string &Path);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_REPORTS_FINDINGS_H
