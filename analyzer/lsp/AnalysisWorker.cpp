//===--- AnalysisWorker.cpp - One analysis of an editor buffer ------------===//

#include "AnalysisWorker.h"
#include "AdjustedCompilations.h"
#include "AnalyzeCommand.h"
#include "BufferHeaderCache.h"
#include "DriverOptions.h"
#include "InProcessAnalysis.h"
#include "TorchTidyRules/ModuleAnchor.h"

#include "clang-tidy/ClangTidy.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace torch_tidy::lsp {

namespace {

/// The one command the server found for the buffer's file.
class SingleCommandDatabase : public clang::tooling::CompilationDatabase {
public:
  explicit SingleCommandDatabase(clang::tooling::CompileCommand Command)
      : Command(std::move(Command)) {}
  std::vector<clang::tooling::CompileCommand>
  getCompileCommands(llvm::StringRef) const override {
    return {Command};
  }
  std::vector<std::string> getAllFiles() const override {
    return {Command.Filename};
  }
  std::vector<clang::tooling::CompileCommand>
  getAllCompileCommands() const override {
    return {Command};
  }

private:
  clang::tooling::CompileCommand Command;
};

std::string absolutePath(llvm::StringRef Path, llvm::StringRef Directory) {
  llvm::SmallString<256> Absolute(Path);
  if (!Directory.empty())
    llvm::sys::fs::make_absolute(Directory, Absolute);
  llvm::sys::path::remove_dots(Absolute, /*remove_dot_dot=*/true);
  return std::string(Absolute);
}

nlohmann::json
fixesToJson(const llvm::StringMap<clang::tooling::Replacements> &Fix,
            llvm::StringRef Directory) {
  nlohmann::json Edits = nlohmann::json::array();
  for (const auto &[File, Replacements] : Fix)
    for (const clang::tooling::Replacement &R : Replacements)
      Edits.push_back({{"file", absolutePath(R.getFilePath(), Directory)},
                       {"offset", R.getOffset()},
                       {"length", R.getLength()},
                       {"text", R.getReplacementText().str()}});
  return Edits;
}

const char *levelName(clang::tooling::Diagnostic::Level Level) {
  switch (Level) {
  case clang::tooling::Diagnostic::Error:
    return "error";
  case clang::tooling::Diagnostic::Warning:
    return "warning";
  default:
    return "remark";
  }
}

void emit(const nlohmann::json &Line) {
  llvm::outs() << Line.dump(-1, ' ', false,
                            nlohmann::json::error_handler_t::replace)
               << "\n";
  llvm::outs().flush();
}

int requestError(const std::string &Message) {
  llvm::errs() << "torch-tidy lsp --worker: error: " << Message << "\n";
  return ExitUsageError;
}

} // namespace

nlohmann::json
diagnosticsToJson(llvm::ArrayRef<clang::tidy::ClangTidyError> Diagnostics) {
  nlohmann::json All = nlohmann::json::array();
  for (const clang::tidy::ClangTidyError &D : Diagnostics) {
    const std::string &Directory = D.BuildDirectory;
    nlohmann::json Notes = nlohmann::json::array();
    for (const clang::tooling::DiagnosticMessage &Note : D.Notes)
      Notes.push_back({{"message", Note.Message},
                       {"file", Note.FilePath.empty()
                                    ? ""
                                    : absolutePath(Note.FilePath, Directory)},
                       {"offset", Note.FileOffset},
                       {"fixes", fixesToJson(Note.Fix, Directory)}});
    All.push_back(
        {{"rule", D.DiagnosticName},
         {"level", D.IsWarningAsError ? "error" : levelName(D.DiagLevel)},
         {"message", D.Message.Message},
         {"file", D.Message.FilePath.empty()
                      ? ""
                      : absolutePath(D.Message.FilePath, Directory)},
         {"offset", D.Message.FileOffset},
         {"notes", std::move(Notes)},
         {"fixes", fixesToJson(D.Message.Fix, Directory)}});
  }
  return All;
}

int runAnalysisWorker(int Argc, const char **Argv) {
  (void)clang::tidy::TorchTidyModuleAnchorSource;
  std::string ParseErrors;
  llvm::raw_string_ostream ParseErrorStream(ParseErrors);
  if (!llvm::cl::ParseCommandLineOptions(Argc, Argv, "", &ParseErrorStream))
    return requestError(llvm::StringRef(ParseErrors).trim().str());
  DriverSettings Settings;
  std::string Problem;
  if (!readDriverSettings(Settings, Problem))
    return requestError(Problem);
  auto Options = makeOptionsProvider(
      Settings, std::make_shared<ConfigFileErrors>(), Problem);
  if (!Options)
    return requestError(Problem);

  auto Input = llvm::MemoryBuffer::getSTDIN();
  if (!Input)
    return requestError("cannot read the request");
  nlohmann::json Request = nlohmann::json::parse((*Input)->getBuffer(), nullptr,
                                                 /*allow_exceptions=*/false);
  if (!Request.is_object() || !Request.contains("file") ||
      !Request["file"].is_string() || !Request.contains("text") ||
      !Request["text"].is_string() || !Request.contains("directory") ||
      !Request["directory"].is_string() || !Request.contains("arguments") ||
      !Request["arguments"].is_array())
    return requestError("the request needs file, text, directory and "
                        "arguments");
  std::string File = Request["file"];
  std::string Text = Request["text"];
  clang::tooling::CompileCommand Command;
  Command.Directory = Request["directory"];
  Command.Filename = File;
  for (const nlohmann::json &Argument : Request["arguments"]) {
    if (!Argument.is_string())
      return requestError("the command's arguments must be strings");
    Command.CommandLine.push_back(Argument);
  }
  if (Command.CommandLine.empty())
    return requestError("the command is empty");

  // The buffer shadows the saved file; everything else is read from disk.
  llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> Buffers(
      new llvm::vfs::InMemoryFileSystem);
  Buffers->addFile(File, /*ModificationTime=*/0,
                   llvm::MemoryBuffer::getMemBufferCopy(Text, File));
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS(
      new llvm::vfs::OverlayFileSystem(llvm::vfs::getRealFileSystem()));
  FS->pushOverlay(Buffers);

  SingleCommandDatabase Single(Command);
  auto Compilations =
      makeAnalysisCompilations(Single, TORCH_TIDY_CLANG_RESOURCE_DIR);
  clang::tooling::ArgumentsAdjuster Cache;
  if (!Settings.CacheDirectory.empty())
    Cache = makeBufferHeaderCacheAdjuster(
        Settings.CacheDirectory, Text, [](bool Starting) {
          emit({{"event",
                 Starting ? "cache-lookup-start" : "cache-lookup-end"}});
        });
  clang::tidy::ClangTidyContext Context(std::move(Options));
  std::vector<clang::tidy::ClangTidyError> Diagnostics = runScopedClangTidy(
      Context, *Compilations, {File}, FS, /*ApplyAnyFix=*/false,
      /*Scoped=*/!Settings.TraverseAllDecls, std::move(Cache),
      /*SkipLibraryBodies=*/true);
  emit({{"diagnostics", diagnosticsToJson(Diagnostics)}});
  return ExitSuccess;
}

} // namespace torch_tidy::lsp
