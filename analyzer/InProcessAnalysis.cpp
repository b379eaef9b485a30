//===--- InProcessAnalysis.cpp - Run the checks in this process -----------===//

#include "InProcessAnalysis.h"

#include "clang-tidy/ClangTidy.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang::tidy;

namespace torch_tidy {

AnalysisResult
analyseInProcess(const std::vector<std::string> &Files,
                 const clang::tooling::CompilationDatabase &Compilations,
                 std::unique_ptr<ClangTidyOptionsProvider> Options,
                 const DriverSettings &Settings) {
  ClangTidyContext Context(std::move(Options));
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS(
      new llvm::vfs::OverlayFileSystem(llvm::vfs::getRealFileSystem()));
  std::vector<ClangTidyError> Diagnostics = runClangTidy(
      Context, Compilations, Files, BaseFS, /*ApplyAnyFix=*/Settings.Fix);
  AnalysisResult Result = collectFindings(Diagnostics);

  // Like clang-tidy, fixes are not applied to files with compiler errors
  // unless --fix-errors says so.
  bool ApplyFixes =
      Settings.Fix && (Result.Errors.empty() || Settings.FixErrors);
  // handleErrors prints to standard output and applies fixes; with --fix
  // and a report format the report goes to --output (DriverOptions).
  bool Print = Settings.Format == ReportFormat::Clang ||
               !Settings.WorkerOutput.empty();
  if (Print || ApplyFixes) {
    unsigned WarningsAsErrors = 0;
    handleErrors(Diagnostics, Context, ApplyFixes ? FB_Fix : FB_NoFix,
                 WarningsAsErrors, BaseFS);
  }
  if (!Settings.ExportFixesPath.empty()) {
    std::error_code Problem;
    llvm::raw_fd_ostream Out(Settings.ExportFixesPath, Problem,
                             llvm::sys::fs::OF_None);
    if (Problem)
      Result.Errors.push_back({Settings.ExportFixesPath, {}, "cannot write "
                               "the exported fixes: " + Problem.message()});
    else
      exportReplacements(Files.size() == 1 ? Files.front() : "", Diagnostics,
                         Out);
  }
  return Result;
}

} // namespace torch_tidy
