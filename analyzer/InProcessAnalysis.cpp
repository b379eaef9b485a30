//===--- InProcessAnalysis.cpp - Run the checks in this process -----------===//

#include "InProcessAnalysis.h"
#include "HeaderCache.h"
#include "LibraryInstantiations.h"
#include "UserCodeScope.h"

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang::tidy;

namespace torch_tidy {

namespace {

/// clang-tidy's frontend action, with UserCodeScope in front of clang-tidy's
/// AST consumer.
class ScopedTidyActionFactory : public clang::tooling::FrontendActionFactory {
public:
  ScopedTidyActionFactory(
      ClangTidyContext &Context,
      llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS,
      bool Scoped, bool SkipLibraryBodies)
      : Context(Context), ConsumerFactory(Context, std::move(BaseFS)),
        Scoped(Scoped), SkipLibraryBodies(SkipLibraryBodies) {}

  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<Action>(*this);
  }

  bool
  runInvocation(std::shared_ptr<clang::CompilerInvocation> Invocation,
                clang::FileManager *Files,
                std::shared_ptr<clang::PCHContainerOperations> PCHContainerOps,
                clang::DiagnosticConsumer *DiagConsumer) override {
    // As runClangTidy: checks may test for __clang_analyzer__.
    Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
    return FrontendActionFactory::runInvocation(
        std::move(Invocation), Files, std::move(PCHContainerOps), DiagConsumer);
  }

private:
  class Action : public clang::ASTFrontendAction {
  public:
    explicit Action(ScopedTidyActionFactory &Owner) : Owner(Owner) {}

    std::unique_ptr<clang::ASTConsumer>
    CreateASTConsumer(clang::CompilerInstance &Compiler,
                      llvm::StringRef File) override {
      // A missing third-party header must not end the analysis: after a
      // fatal error clang instantiates no more templates, so most of the
      // file would have no AST for the checks (libclang's KeepGoing does
      // the same). The errors are still reported and still set exit 3.
      Compiler.getDiagnostics().setFatalsAsError(true);
      // Sets the context's current file, and so the options read below.
      std::unique_ptr<clang::ASTConsumer> Tidy =
          Owner.ConsumerFactory.createASTConsumer(Compiler, File);
      if (Owner.Scoped) {
        const ClangTidyOptions &Options = Owner.Context.getOptions();
        Tidy = scopedToUserCode(std::move(Tidy), Compiler.getSourceManager(),
                                Options.HeaderFilterRegex,
                                Options.ExcludeHeaderFilterRegex);
      }
      if (!Owner.SkipLibraryBodies)
        return Tidy;
      return withLibraryInstantiationsSkipped(Compiler.getSourceManager(),
                                              std::move(Tidy));
    }

  private:
    ScopedTidyActionFactory &Owner;
  };

  ClangTidyContext &Context;
  ClangTidyASTConsumerFactory ConsumerFactory;
  bool Scoped;
  bool SkipLibraryBodies;
};

} // namespace

void addAnalysisAdjusters(clang::tooling::ClangTool &Tool,
                          ClangTidyContext &Context,
                          clang::tooling::ArgumentsAdjuster Extra) {
  // The extra arguments of the configuration, as clang-tidy adds them.
  Tool.appendArgumentsAdjuster(
      [&Context](const clang::tooling::CommandLineArguments &Args,
                 llvm::StringRef File) {
        ClangTidyOptions Options = Context.getOptionsForFile(File);
        clang::tooling::CommandLineArguments Adjusted = Args;
        if (Options.ExtraArgsBefore) {
          auto I = Adjusted.begin();
          if (I != Adjusted.end() && !llvm::StringRef(*I).starts_with("-"))
            ++I; // The compiler's name.
          Adjusted.insert(I, Options.ExtraArgsBefore->begin(),
                          Options.ExtraArgsBefore->end());
        }
        if (Options.ExtraArgs)
          Adjusted.insert(Adjusted.end(), Options.ExtraArgs->begin(),
                          Options.ExtraArgs->end());
        return Adjusted;
      });
  Tool.appendArgumentsAdjuster(clang::tooling::getStripPluginsAdjuster());
  // Reaching clang's error limit is fatal too; lift it unless the command
  // sets its own.
  Tool.appendArgumentsAdjuster(
      [](const clang::tooling::CommandLineArguments &Args, llvm::StringRef) {
        for (const std::string &Arg : Args)
          if (llvm::StringRef(Arg).starts_with("-ferror-limit"))
            return Args;
        // Before a "--" that ends the options, if there is one.
        clang::tooling::CommandLineArguments Adjusted = Args;
        Adjusted.insert(llvm::find(Adjusted, "--"), "-ferror-limit=0");
        return Adjusted;
      });
  if (Extra)
    Tool.appendArgumentsAdjuster(std::move(Extra));
}

std::vector<ClangTidyError> runScopedClangTidy(
    ClangTidyContext &Context,
    const clang::tooling::CompilationDatabase &Compilations,
    llvm::ArrayRef<std::string> Files,
    llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS,
    bool ApplyAnyFix, bool Scoped, clang::tooling::ArgumentsAdjuster Extra,
    bool SkipLibraryBodies) {
  clang::tooling::ClangTool Tool(
      Compilations, Files, std::make_shared<clang::PCHContainerOperations>(),
      BaseFS);
  addAnalysisAdjusters(Tool, Context, std::move(Extra));

  ClangTidyDiagnosticConsumer DiagConsumer(Context, nullptr, true, ApplyAnyFix);
  clang::DiagnosticsEngine Engine(new clang::DiagnosticIDs(),
                                  new clang::DiagnosticOptions(), &DiagConsumer,
                                  /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(&Engine);
  Tool.setDiagnosticConsumer(&DiagConsumer);
  ScopedTidyActionFactory Factory(Context, std::move(BaseFS), Scoped,
                                  SkipLibraryBodies);
  Tool.run(&Factory);
  return DiagConsumer.take();
}

AnalysisResult
analyseInProcess(const std::vector<std::string> &Files,
                 const clang::tooling::CompilationDatabase &Compilations,
                 std::unique_ptr<ClangTidyOptionsProvider> Options,
                 const DriverSettings &Settings) {
  ClangTidyContext Context(std::move(Options));
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS(
      new llvm::vfs::OverlayFileSystem(llvm::vfs::getRealFileSystem()));
  std::vector<ClangTidyError> Diagnostics = runScopedClangTidy(
      Context, Compilations, Files, BaseFS, /*ApplyAnyFix=*/Settings.Fix,
      /*Scoped=*/!Settings.TraverseAllDecls,
      Settings.CacheDirectory.empty()
          ? nullptr
          : makeHeaderCacheAdjuster(Settings.CacheDirectory,
                                    Settings.CacheLog));
  AnalysisResult Result = collectFindings(Diagnostics);

  // Like clang-tidy, fixes are not applied to files with compiler errors
  // unless --fix-errors says so.
  bool ApplyFixes =
      Settings.Fix && (Result.Errors.empty() || Settings.FixErrors);
  // handleErrors prints to standard output and applies fixes; with --fix
  // and a report format the report goes to --output (DriverOptions).
  bool Print =
      Settings.Format == ReportFormat::Clang || !Settings.WorkerOutput.empty();
  if (Print || ApplyFixes) {
    // The loop ranges that the driver asked for travel in JSON; printed,
    // they would underline whole loops.
    std::vector<ClangTidyError> Shown = Diagnostics;
    if (!Settings.WorkerOutput.empty() || Settings.Instrument)
      for (ClangTidyError &Diagnostic : Shown)
        for (clang::tooling::DiagnosticMessage &Note : Diagnostic.Notes)
          Note.Ranges.clear();
    unsigned WarningsAsErrors = 0;
    handleErrors(Shown, Context, ApplyFixes ? FB_Fix : FB_NoFix,
                 WarningsAsErrors, BaseFS);
  }
  // Written by the command with its other outputs (AnalyzeCommand.cpp).
  if (!Settings.ExportFixesPath.empty()) {
    llvm::raw_string_ostream Out(Result.ExportedFixes);
    exportReplacements(Files.size() == 1 ? Files.front() : "", Diagnostics,
                       Out);
  }
  return Result;
}

} // namespace torch_tidy
