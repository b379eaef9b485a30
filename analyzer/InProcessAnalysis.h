//===--- InProcessAnalysis.h - Run the checks in this process ---*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_INPROCESSANALYSIS_H
#define TORCH_TIDY_ANALYZER_INPROCESSANALYSIS_H

#include "DriverOptions.h"
#include "FindingsFromDiagnostics.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <memory>
#include <string>
#include <vector>

namespace torch_tidy {

/// The arguments adjusters of every analysis run, in order: the
/// configuration's ExtraArgsBefore and ExtraArgs, no plugins, no error
/// limit, then \p Extra (the header cache) last.
void addAnalysisAdjusters(clang::tooling::ClangTool &Tool,
                          clang::tidy::ClangTidyContext &Context,
                          clang::tooling::ArgumentsAdjuster Extra);

/// runClangTidy, but with the traversal limited to the user's code (unless
/// \p Scoped is false), files read through \p BaseFS (the language server
/// puts unsaved buffers there), and \p Extra (the header cache) as the last
/// arguments adjuster. With \p SkipLibraryBodies, library templates are not
/// instantiated at the end of the file (LibraryInstantiations.h).
std::vector<clang::tidy::ClangTidyError> runScopedClangTidy(
    clang::tidy::ClangTidyContext &Context,
    const clang::tooling::CompilationDatabase &Compilations,
    llvm::ArrayRef<std::string> Files,
    llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS,
    bool ApplyAnyFix, bool Scoped, clang::tooling::ArgumentsAdjuster Extra,
    bool SkipLibraryBodies = false);

/// Runs the checks over \p Files one after another with clang-tidy's
/// machinery, prints clang-style diagnostics when the format is clang (or
/// always, in a worker), applies and exports fixes as asked, and returns the
/// findings.
AnalysisResult
analyseInProcess(const std::vector<std::string> &Files,
                 const clang::tooling::CompilationDatabase &Compilations,
                 std::unique_ptr<clang::tidy::ClangTidyOptionsProvider> Options,
                 const DriverSettings &Settings);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_INPROCESSANALYSIS_H
