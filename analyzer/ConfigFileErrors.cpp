//===--- ConfigFileErrors.cpp - Malformed configuration files -------------===//

#include "ConfigFileErrors.h"

#include "llvm/Support/SourceMgr.h"

using namespace clang::tidy;

namespace torch_tidy {

std::optional<ClangTidyOptions>
parseConfigurationText(llvm::MemoryBufferRef Config, std::string &Problem) {
  std::optional<llvm::SMDiagnostic> FirstError;
  llvm::ErrorOr<ClangTidyOptions> Parsed =
      parseConfigurationWithDiags(Config, [&](const llvm::SMDiagnostic &Diag) {
        if (Diag.getKind() == llvm::SourceMgr::DK_Error && !FirstError)
          FirstError = Diag;
      });
  if (Parsed)
    return std::move(*Parsed);
  Problem = Config.getBufferIdentifier().str();
  if (FirstError)
    Problem += ":" + std::to_string(FirstError->getLineNo()) + ":" +
               std::to_string(FirstError->getColumnNo() + 1) +
               ": invalid configuration: " + FirstError->getMessage().str();
  else
    Problem += ": invalid configuration: " + Parsed.getError().message();
  return std::nullopt;
}

llvm::ErrorOr<ClangTidyOptions>
ConfigFileErrors::parse(llvm::MemoryBufferRef Config) {
  std::string Problem;
  if (std::optional<ClangTidyOptions> Parsed =
          parseConfigurationText(Config, Problem))
    return std::move(*Parsed);
  if (MalformedFiles.insert(Config.getBufferIdentifier()).second)
    Problems.push_back(std::move(Problem));
  // FileOptionsProvider prints the failures whose error code is set; this
  // one is reported through problems().
  return std::error_code();
}

} // namespace torch_tidy
