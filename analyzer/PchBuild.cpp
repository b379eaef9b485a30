//===--- PchBuild.cpp - Build a header-cache PCH in process ---------------===//

#include "PchBuild.h"

#include "TorchTidyRules/UserCode.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <algorithm>
#include <memory>

namespace torch_tidy {

namespace {

/// Records the files a PCH build enters, and whether all of them are
/// system headers or libtorch's.
class DependencyRecorder : public clang::PPCallbacks {
public:
  DependencyRecorder(clang::SourceManager &SM, std::string WorkingDirectory,
                     PchBuild &Result)
      : SM(SM), WorkingDirectory(std::move(WorkingDirectory)), Result(Result) {}

  void FileChanged(clang::SourceLocation Loc, FileChangeReason Reason,
                   clang::SrcMgr::CharacteristicKind Kind,
                   clang::FileID) override {
    if (Reason != EnterFile)
      return;
    clang::FileID ID = SM.getFileID(SM.getExpansionLoc(Loc));
    if (ID == SM.getMainFileID())
      return;
    clang::OptionalFileEntryRef Entry = SM.getFileEntryRefForID(ID);
    if (!Entry)
      return;
    std::string Path = absolutePath(Entry->getName(), WorkingDirectory);
    if (Kind == clang::SrcMgr::C_User &&
        !clang::tidy::torch::isLibtorchHeaderPath(Path))
      Result.OnlySystem = false;
    Result.Files.push_back(std::move(Path));
  }

private:
  clang::SourceManager &SM;
  std::string WorkingDirectory;
  PchBuild &Result;
};

class PchActionFactory : public clang::tooling::FrontendActionFactory {
public:
  PchActionFactory(const CommandShape &Builder, std::string WorkingDirectory,
                   PchBuild &Result)
      : Builder(Builder), WorkingDirectory(std::move(WorkingDirectory)),
        Result(Result) {}

  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<Action>(*this);
  }
  bool
  runInvocation(std::shared_ptr<clang::CompilerInvocation> Invocation,
                clang::FileManager *FileMgr,
                std::shared_ptr<clang::PCHContainerOperations> PCHContainerOps,
                clang::DiagnosticConsumer *DiagConsumer) override {
    Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
    return FrontendActionFactory::runInvocation(std::move(Invocation), FileMgr,
                                                std::move(PCHContainerOps),
                                                DiagConsumer);
  }

private:
  class Action : public clang::GeneratePCHAction {
  public:
    explicit Action(PchActionFactory &Owner) : Owner(Owner) {}
    bool BeginSourceFileAction(clang::CompilerInstance &CI) override {
      clang::Preprocessor &PP = CI.getPreprocessor();
      PP.addPPCallbacks(std::make_unique<DependencyRecorder>(
          CI.getSourceManager(), Owner.WorkingDirectory, Owner.Result));
      PP.addPPCallbacks(std::make_unique<LookupRecorder>(
          CI.getSourceManager(), Owner.Builder, Owner.WorkingDirectory,
          Owner.Result.Lookups));
      return GeneratePCHAction::BeginSourceFileAction(CI);
    }

  private:
    PchActionFactory &Owner;
  };

  const CommandShape &Builder;
  std::string WorkingDirectory;
  PchBuild &Result;
};

} // namespace

PchBuild buildPch(const std::vector<std::string> &CommandLine,
                  const CommandShape &Builder,
                  llvm::StringRef WorkingDirectory) {
  PchBuild Result;
  // Its own working directory: the process's may belong to someone else (a
  // language server's other requests).
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Disk =
      llvm::vfs::createPhysicalFileSystem();
  Disk->setCurrentWorkingDirectory(WorkingDirectory);
  clang::FileSystemOptions Options;
  Options.WorkingDir = WorkingDirectory.str();
  llvm::IntrusiveRefCntPtr<clang::FileManager> Files(
      new clang::FileManager(Options, Disk));
  PchActionFactory Factory(Builder, WorkingDirectory.str(), Result);
  clang::tooling::ToolInvocation Invocation(
      CommandLine, &Factory, Files.get(),
      std::make_shared<clang::PCHContainerOperations>());
  clang::IgnoringDiagConsumer Quiet;
  Invocation.setDiagnosticConsumer(&Quiet);
  Result.Built = Invocation.run();
  std::sort(Result.Files.begin(), Result.Files.end());
  Result.Files.erase(std::unique(Result.Files.begin(), Result.Files.end()),
                     Result.Files.end());
  return Result;
}

} // namespace torch_tidy
