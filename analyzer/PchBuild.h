//===--- PchBuild.h - Build a header-cache PCH in process -------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_PCHBUILD_H
#define TORCH_TIDY_ANALYZER_PCHBUILD_H

#include "CommandShape.h"
#include "HeaderLookups.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace torch_tidy {

struct PchBuild {
  bool Built = false;
  /// Every file read is a system header or libtorch's (whose declarations
  /// the user-code scope leaves out anyway); otherwise user declarations
  /// would come from the PCH and stay outside that scope.
  bool OnlySystem = true;
  /// The files read, absolute, sorted, once each.
  std::vector<std::string> Files;
  LookupRecord Lookups;
};

/// Runs \p CommandLine (a PCH compile: compiler, flags, -x c++-header, the
/// header, -o) in \p WorkingDirectory the way the analysis parses, with
/// __clang_analyzer__ defined, recording what it reads. \p Builder is the
/// shape of the command whose flags these are.
PchBuild buildPch(const std::vector<std::string> &CommandLine,
                  const CommandShape &Builder,
                  llvm::StringRef WorkingDirectory);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_PCHBUILD_H
