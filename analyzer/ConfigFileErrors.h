//===--- ConfigFileErrors.h - Malformed configuration files -----*- C++ -*-===//
//
// clang-tidy prints the parse error of a malformed .clang-tidy on every
// lookup and goes on without the file, so a typo silently changes what is
// checked. The driver parses configuration text here instead: each error
// becomes one line that names the file and the position, and the driver
// stops with a usage error.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_CONFIGFILEERRORS_H
#define TORCH_TIDY_ANALYZER_CONFIGFILEERRORS_H

#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBufferRef.h"

#include <optional>
#include <string>
#include <vector>

namespace torch_tidy {

/// Parses configuration text as clang-tidy does. On failure returns none
/// and sets \p Problem to `<source>:<line>:<column>: invalid configuration:
/// <what>`, where the source is the buffer's identifier.
std::optional<clang::tidy::ClangTidyOptions>
parseConfigurationText(llvm::MemoryBufferRef Config, std::string &Problem);

/// The parse errors of the configuration files an options provider read.
class ConfigFileErrors {
public:
  /// A parser for clang-tidy's FileOptionsProvider. A malformed file's
  /// problem is kept once; the error returned is one the provider does not
  /// print.
  llvm::ErrorOr<clang::tidy::ClangTidyOptions>
  parse(llvm::MemoryBufferRef Config);

  /// One line per malformed file, in the order the files were read.
  const std::vector<std::string> &problems() const { return Problems; }

private:
  std::vector<std::string> Problems;
  llvm::StringSet<> MalformedFiles;
};

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIGFILEERRORS_H
