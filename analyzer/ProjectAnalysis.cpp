//===--- ProjectAnalysis.cpp - Summaries of a whole project ---------------===//

#include "ProjectAnalysis.h"
#include "AtomicFile.h"
#include "ContentDigest.h"
#include "HeaderCache.h"
#include "InProcessAnalysis.h"
#include "LibraryInstantiations.h"
#include "TorchTidyRules/ProjectSummaries.h"
#include "TorchTidyRules/UserCode.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <map>

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;
using clang::tidy::torch::FunctionSummary;
using clang::tidy::torch::ProjectSummaries;

namespace torch_tidy {

std::vector<std::string>
projectFiles(const clang::tooling::CompilationDatabase &Compilations,
             const std::vector<std::string> &Named) {
  std::vector<std::string> Files = Compilations.getAllFiles();
  for (const std::string &File : Named) {
    llvm::SmallString<256> Absolute(File);
    fs::make_absolute(Absolute);
    path::remove_dots(Absolute, /*remove_dot_dot=*/true);
    Files.push_back(std::string(Absolute));
  }
  std::sort(Files.begin(), Files.end());
  Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
  return Files;
}

bool inputsUnchanged(llvm::StringRef Lines) {
  while (!Lines.empty()) {
    auto [Line, Rest] = Lines.split('\n');
    Lines = Rest;
    if (Line.empty())
      continue;
    auto [Digest, File] = Line.split(' ');
    if (fileContentDigest(File) != Digest)
      return false;
  }
  return true;
}

namespace {

/// The cache entry of a translation unit: its summaries (<key>.json) and
/// the user files they were made from with their digests (<key>.inputs).
struct CacheEntry {
  std::string Summaries;
  std::string Inputs;
};

CacheEntry cacheEntryFor(const DriverSettings &Settings, llvm::StringRef File,
                         const clang::tooling::CompileCommand &Command) {
  std::string Key =
      toolIdentity() + "\n" +
      std::to_string(clang::tidy::torch::ProjectSummariesVersion) + "\n" +
      File.str() + "\n" + Command.Directory + "\n";
  for (const std::string &Arg : Command.CommandLine)
    Key += Arg + "\n";
  llvm::SmallString<256> Base(Settings.CacheDirectory);
  path::append(Base, "summaries", contentDigest(Key));
  return {(Base + ".json").str(), (Base + ".inputs").str()};
}

/// The inputs of an entry, when they are all unchanged.
std::optional<std::string> readFreshInputs(const CacheEntry &Entry) {
  auto Inputs = llvm::MemoryBuffer::getFile(Entry.Inputs);
  if (!Inputs || !inputsUnchanged((*Inputs)->getBuffer()))
    return std::nullopt;
  return (*Inputs)->getBuffer().str();
}

/// The cached summaries of an entry whose inputs are all unchanged.
std::optional<ProjectSummaries> readFreshEntry(const CacheEntry &Entry) {
  if (!readFreshInputs(Entry))
    return std::nullopt;
  auto Text = llvm::MemoryBuffer::getFile(Entry.Summaries);
  if (!Text)
    return std::nullopt;
  llvm::Expected<ProjectSummaries> Parsed =
      ProjectSummaries::fromJson((*Text)->getBuffer(), Entry.Summaries);
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
    return std::nullopt;
  }
  return std::move(*Parsed);
}

/// A cache entry's file: it can be made again, so it is not fsync'ed, and
/// one that cannot be written only makes the next run slower.
void writeCacheFile(const std::string &Path, llvm::StringRef Text) {
  fs::create_directories(path::parent_path(Path));
  std::string Ignored;
  writeFileAtomically(Path, Text, Ignored, Durability::Closed);
}

/// The user's files that a translation unit read: the main file and the
/// headers outside system directories and libtorch.
std::string inputLines(const clang::SourceManager &SM) {
  std::map<std::string, std::string> Inputs;
  for (unsigned I = 0; I < SM.local_sloc_entry_size(); ++I) {
    const clang::SrcMgr::SLocEntry &Entry = SM.getLocalSLocEntry(I);
    if (!Entry.isFile() ||
        Entry.getFile().getFileCharacteristic() != clang::SrcMgr::C_User)
      continue;
    clang::OptionalFileEntryRef File =
        Entry.getFile().getContentCache().OrigEntry;
    if (!File)
      continue;
    // Against the compile command's directory (the tool's working
    // directory), not this process's: `-I include` is relative to it.
    llvm::SmallString<256> Path(File->getName());
    SM.getFileManager().makeAbsolutePath(Path);
    path::remove_dots(Path, /*remove_dot_dot=*/true);
    if (clang::tidy::torch::isLibtorchHeaderPath(Path) ||
        Inputs.count(Path.str().str()))
      continue;
    if (std::optional<std::string> Digest = fileContentDigest(Path))
      Inputs[std::string(Path)] = *Digest;
  }
  std::string Lines;
  for (const auto &[File, Digest] : Inputs)
    Lines += Digest + " " + File + "\n";
  return Lines;
}

/// Summarises each translation unit it is run on, into \p Results by
/// file.
class SummaryActionFactory : public clang::tooling::FrontendActionFactory {
public:
  using Sink = std::function<void(llvm::StringRef File,
                                  std::vector<FunctionSummary> Summaries,
                                  std::string Inputs)>;
  explicit SummaryActionFactory(Sink Take) : Take(std::move(Take)) {}

  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<Action>(Take);
  }

private:
  class Consumer : public clang::ASTConsumer {
  public:
    Consumer(Sink &Take, std::string File)
        : Take(Take), File(std::move(File)) {}
    void HandleTranslationUnit(clang::ASTContext &Context) override {
      // The command may name its file relative to its directory: the
      // caller knows it by its absolute path.
      llvm::SmallString<256> Absolute(File);
      Context.getSourceManager().getFileManager().makeAbsolutePath(Absolute);
      path::remove_dots(Absolute, /*remove_dot_dot=*/true);
      Take(Absolute, clang::tidy::torch::summariseTranslationUnit(Context),
           inputLines(Context.getSourceManager()));
    }

  private:
    Sink &Take;
    std::string File;
  };

  class Action : public clang::ASTFrontendAction {
  public:
    explicit Action(Sink &Take) : Take(Take) {}
    std::unique_ptr<clang::ASTConsumer>
    CreateASTConsumer(clang::CompilerInstance &Compiler,
                      llvm::StringRef File) override {
      // As in the checks' run: a missing header must not end the parse.
      Compiler.getDiagnostics().setFatalsAsError(true);
      return withLibraryInstantiationsSkipped(
          Compiler.getSourceManager(),
          std::make_unique<Consumer>(Take, File.str()));
    }

  private:
    Sink &Take;
  };

  Sink Take;
};

} // namespace

std::optional<std::string>
freshUnitInputs(const DriverSettings &Settings, llvm::StringRef File,
                const clang::tooling::CompileCommand &Command) {
  if (Settings.CacheDirectory.empty())
    return std::nullopt;
  return readFreshInputs(cacheEntryFor(Settings, File, Command));
}

ProjectSummariesResult
summariseProject(const std::vector<std::string> &Files,
                 const clang::tooling::CompilationDatabase &Compilations,
                 std::unique_ptr<clang::tidy::ClangTidyOptionsProvider> Options,
                 const DriverSettings &Settings,
                 const UnitSummariser &InWorkers) {
  ProjectSummariesResult Result;
  std::map<std::string, ProjectSummaries> ByFile;
  std::map<std::string, CacheEntry> Entries;
  std::vector<std::string> ToParse;
  for (const std::string &File : Files) {
    std::vector<clang::tooling::CompileCommand> Commands =
        Compilations.getCompileCommands(File);
    if (Settings.CacheDirectory.empty() || Commands.empty()) {
      ToParse.push_back(File);
      continue;
    }
    CacheEntry Entry = cacheEntryFor(Settings, File, Commands.front());
    if (std::optional<ProjectSummaries> Cached = readFreshEntry(Entry)) {
      ByFile.emplace(File, std::move(*Cached));
      ++Result.Cached;
      continue;
    }
    Entries.emplace(File, std::move(Entry));
    ToParse.push_back(File);
  }

  if (!ToParse.empty() && InWorkers) {
    // Each worker fills the cache entry of its own file.
    std::vector<SummaryWorkerResult> Units = InWorkers(ToParse);
    for (size_t I = 0; I < ToParse.size(); ++I) {
      if (!Units[I].Problem.empty()) {
        Result.Problems.push_back(ToParse[I] + ": " + Units[I].Problem);
        continue;
      }
      llvm::Expected<ProjectSummaries> Unit =
          ProjectSummaries::fromJson(Units[I].Summaries, ToParse[I]);
      if (!Unit) {
        Result.Problems.push_back(llvm::toString(Unit.takeError()));
        continue;
      }
      ++Result.Summarised;
      ByFile.insert_or_assign(ToParse[I], std::move(*Unit));
    }
  } else if (!ToParse.empty()) {
    clang::tidy::ClangTidyContext Context(std::move(Options));
    clang::tooling::ClangTool Tool(Compilations, ToParse);
    addAnalysisAdjusters(Tool, Context,
                         Settings.CacheDirectory.empty()
                             ? nullptr
                             : makeHeaderCacheAdjuster(Settings.CacheDirectory,
                                                       Settings.CacheLog));
    // Compiler errors are reported by the checks' own run of each file.
    clang::IgnoringDiagConsumer Quiet;
    Tool.setDiagnosticConsumer(&Quiet);
    SummaryActionFactory Factory([&](llvm::StringRef File,
                                     std::vector<FunctionSummary> Summaries,
                                     std::string Inputs) {
      ProjectSummaries Unit;
      for (FunctionSummary &S : Summaries)
        Unit.add(std::move(S));
      ++Result.Summarised;
      if (auto It = Entries.find(File.str()); It != Entries.end()) {
        writeCacheFile(It->second.Summaries, Unit.toJson());
        writeCacheFile(It->second.Inputs, Inputs);
      }
      ByFile.insert_or_assign(File.str(), std::move(Unit));
    });
    Tool.run(&Factory);
    for (const std::string &File : ToParse)
      if (!ByFile.count(File))
        Result.Problems.push_back(File + ": could not be summarised");
  }

  ProjectSummaries Merged;
  for (auto &[File, Unit] : ByFile)
    for (const FunctionSummary &S : Unit.functions())
      Merged.add(S);
  Merged.solve();
  Result.Json = Merged.toJson();
  return Result;
}

} // namespace torch_tidy
