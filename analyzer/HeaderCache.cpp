//===--- HeaderCache.cpp - Precompiled system headers, reused -------------===//

#include "HeaderCache.h"

#include "model/UserCode.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/Version.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/LockFileManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/xxhash.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <memory>
#include <vector>

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace torch_tidy {

namespace {

constexpr llvm::StringLiteral ManifestHeader = "torch-tidy header cache 1";

/// One file the PCH read, as it was when the PCH was built.
struct Dependency {
  std::string Path;
  uint64_t Size = 0;
  int64_t ModifiedNs = 0;
  uint64_t Hash = 0;
};

/// Size, time and content hash of \p Path now; false when it cannot be read.
bool describe(const std::string &Path, Dependency &Out) {
  fs::file_status Status;
  if (fs::status(Path, Status) || !fs::is_regular_file(Status))
    return false;
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return false;
  Out.Path = Path;
  Out.Size = Status.getSize();
  Out.ModifiedNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       Status.getLastModificationTime().time_since_epoch())
                       .count();
  Out.Hash = llvm::xxh3_64bits(
      llvm::arrayRefFromStringRef((*Buffer)->getBuffer()));
  return true;
}

bool isLibtorchInclude(llvm::StringRef Name) {
  for (llvm::StringRef Top : {"torch/", "ATen/", "c10/", "caffe2/"})
    if (Name.starts_with(Top))
      return true;
  return false;
}

/// The leading `#include <...>` lines of \p Text (comments and blank lines
/// between them allowed), or "" when it starts otherwise. When the first
/// directive includes a user header of \p Directory with quotes (a project's
/// common header, such as `#include "model.h"`), the header's own leading
/// system includes after its include guard are the prefix: nothing comes
/// before them in the translation unit but that guard's macro.
std::string includePrefix(llvm::StringRef Text, llvm::StringRef Directory,
                          bool InHeader) {
  std::string Prefix;
  size_t LibtorchEnd = 0;
  bool InBlockComment = false;
  bool GuardOpen = false;
  bool GuardDone = !InHeader;
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    llvm::StringRef L = Line.trim();
    if (InBlockComment) {
      size_t End = L.find("*/");
      if (End == llvm::StringRef::npos)
        continue;
      InBlockComment = false;
      L = L.drop_front(End + 2).trim();
    }
    if (L.starts_with("/*") && !L.contains("*/")) {
      InBlockComment = true;
      continue;
    }
    if (L.empty() || L.starts_with("//") ||
        (L.starts_with("/*") && L.ends_with("*/")))
      continue;
    if (!L.consume_front("#"))
      break;
    L = L.ltrim();
    // An include guard at the top of a header: `#ifndef X` `#define X`, or
    // `#pragma once`.
    if (!GuardDone && Prefix.empty()) {
      if (!GuardOpen && L.consume_front("ifndef")) {
        GuardOpen = true;
        continue;
      }
      if (GuardOpen && L.starts_with("define")) {
        GuardDone = true;
        continue;
      }
      if (!GuardOpen && L.starts_with("pragma") &&
          L.drop_front(6).trim() == "once") {
        GuardDone = true;
        continue;
      }
    }
    if (!L.consume_front("include"))
      break;
    L = L.ltrim();
    if (L.starts_with("\"") && Prefix.empty() && !InHeader) {
      llvm::StringRef Name = L.drop_front().split('"').first;
      llvm::SmallString<256> HeaderPath(Directory);
      path::append(HeaderPath, Name);
      auto Header = llvm::MemoryBuffer::getFile(HeaderPath, /*IsText=*/true);
      if (!Header)
        break;
      return includePrefix((*Header)->getBuffer(), "", /*InHeader=*/true);
    }
    size_t Close = L.find('>');
    if (!L.starts_with("<") || Close == llvm::StringRef::npos)
      break;
    llvm::StringRef After = L.drop_front(Close + 1).trim();
    if (!After.empty() && !After.starts_with("//"))
      break;
    llvm::StringRef Name = L.take_front(Close).drop_front();
    Prefix += "#include <" + Name.str() + ">\n";
    if (isLibtorchInclude(Name))
      LibtorchEnd = Prefix.size();
  }
  // Up to the last libtorch header: the standard headers after it cost
  // little, and files that differ only there share one PCH.
  return LibtorchEnd ? Prefix.substr(0, LibtorchEnd) : Prefix;
}

/// Records the files a PCH build enters, and whether all of them are
/// system headers or libtorch's (whose declarations the user-code scope
/// leaves out anyway).
class DependencyRecorder : public clang::PPCallbacks {
public:
  DependencyRecorder(clang::SourceManager &SM, std::vector<std::string> &Files,
                     bool &OnlySystem)
      : SM(SM), Files(Files), OnlySystem(OnlySystem) {}

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
    llvm::SmallString<256> Path(Entry->getName());
    fs::make_absolute(Path);
    Files.push_back(std::string(Path));
    if (Kind == clang::SrcMgr::C_User &&
        !clang::tidy::torch::isLibtorchHeaderPath(Path))
      OnlySystem = false;
  }

private:
  clang::SourceManager &SM;
  std::vector<std::string> &Files;
  bool &OnlySystem;
};

/// Builds a PCH the way the analysis parses: with __clang_analyzer__
/// defined, recording the files read.
class PchActionFactory : public clang::tooling::FrontendActionFactory {
public:
  std::vector<std::string> Files;
  bool OnlySystem = true;

  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<Action>(*this);
  }
  bool runInvocation(
      std::shared_ptr<clang::CompilerInvocation> Invocation,
      clang::FileManager *FileMgr,
      std::shared_ptr<clang::PCHContainerOperations> PCHContainerOps,
      clang::DiagnosticConsumer *DiagConsumer) override {
    Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
    return FrontendActionFactory::runInvocation(
        std::move(Invocation), FileMgr, std::move(PCHContainerOps),
        DiagConsumer);
  }

private:
  class Action : public clang::GeneratePCHAction {
  public:
    explicit Action(PchActionFactory &Owner) : Owner(Owner) {}
    bool BeginSourceFileAction(clang::CompilerInstance &CI) override {
      CI.getPreprocessor().addPPCallbacks(std::make_unique<DependencyRecorder>(
          CI.getSourceManager(), Owner.Files, Owner.OnlySystem));
      return GeneratePCHAction::BeginSourceFileAction(CI);
    }

  private:
    PchActionFactory &Owner;
  };
};

class HeaderCache {
public:
  HeaderCache(std::string Directory, bool Log)
      : Directory(std::move(Directory)), Log(Log) {}

  clang::tooling::CommandLineArguments
  adjust(const clang::tooling::CommandLineArguments &Args,
         llvm::StringRef File);

private:
  /// The arguments without the compiler, the source file and
  /// -fsyntax-only: those a PCH of the file's prefix is built with.
  static std::vector<std::string>
  pchFlags(const clang::tooling::CommandLineArguments &Args,
           llvm::StringRef File);
  /// True when the entry's manifest says it is usable and every file it
  /// lists is unchanged; \p Exists tells whether there was a manifest.
  bool isFresh(const std::string &Manifest, bool &Usable);
  bool build(const std::vector<std::string> &Flags,
             const std::string &Compiler, const std::string &Prefix,
             const std::string &Base);
  void prune(const std::string &Keep);

  /// Says on stderr what the cache did for each file (for tests).
  void say(llvm::StringRef What, llvm::StringRef File) {
    if (Log)
      llvm::errs() << "torch-tidy: header cache: " << What << ": " << File
                   << "\n";
  }

  std::string Directory;
  bool Log;
};

std::vector<std::string>
HeaderCache::pchFlags(const clang::tooling::CommandLineArguments &Args,
                      llvm::StringRef File) {
  std::vector<std::string> Flags;
  llvm::StringRef Name = path::filename(File);
  for (size_t I = 1; I < Args.size(); ++I) {
    llvm::StringRef Arg = Args[I];
    // Inferred commands (files missing from the compile database) end in
    // "-- file": the PCH's own arguments come after these flags.
    if (Arg == "-fsyntax-only" || Arg == "--")
      continue;
    if (Arg == File || (!Arg.starts_with("-") && path::filename(Arg) == Name &&
                        Arg.ends_with(Name)))
      continue;
    Flags.push_back(Arg.str());
  }
  return Flags;
}

bool HeaderCache::isFresh(const std::string &Manifest, bool &Usable) {
  auto Buffer = llvm::MemoryBuffer::getFile(Manifest);
  if (!Buffer)
    return false;
  llvm::SmallVector<llvm::StringRef> Lines;
  (*Buffer)->getBuffer().split(Lines, '\n', -1, /*KeepEmpty=*/false);
  if (Lines.size() < 2 || Lines[0] != ManifestHeader)
    return false;
  Usable = Lines[1] == "usable";
  // Earlier versions could call an entry usable without its PCH.
  if (Usable &&
      !fs::exists(llvm::StringRef(Manifest).drop_back(5).str() + ".pch"))
    return false;
  for (llvm::StringRef Line : llvm::ArrayRef(Lines).drop_front(2)) {
    // size mtime hash path
    llvm::SmallVector<llvm::StringRef, 4> Fields;
    Line.split(Fields, ' ', 3);
    if (Fields.size() != 4)
      return false;
    Dependency Now;
    if (!describe(Fields[3].str(), Now) ||
        std::to_string(Now.Size) != Fields[0] ||
        std::to_string(Now.ModifiedNs) != Fields[1] ||
        llvm::utohexstr(Now.Hash) != Fields[2])
      return false;
  }
  return true;
}

bool HeaderCache::build(const std::vector<std::string> &Flags,
                        const std::string &Compiler, const std::string &Prefix,
                        const std::string &Base) {
  std::string Unique = "." + std::to_string(llvm::sys::Process::getProcessId());
  std::string Header = Base + ".h";
  std::string Pch = Base + ".pch";
  // The header is an input of the PCH too: it must stay as it was built.
  {
    std::error_code Error;
    llvm::raw_fd_ostream Out(Header + Unique, Error, fs::OF_Text);
    if (Error)
      return false;
    Out << Prefix;
  }
  if (fs::rename(Header + Unique, Header))
    return false;

  std::vector<std::string> CommandLine{Compiler};
  CommandLine.insert(CommandLine.end(), Flags.begin(), Flags.end());
  for (const char *Arg : {"-fpch-instantiate-templates", "-x", "c++-header"})
    CommandLine.push_back(Arg);
  CommandLine.push_back(Header);
  CommandLine.push_back("-o");
  CommandLine.push_back(Pch + Unique);

  PchActionFactory Factory;
  llvm::IntrusiveRefCntPtr<clang::FileManager> Files(new clang::FileManager(
      clang::FileSystemOptions(), llvm::vfs::getRealFileSystem()));
  clang::tooling::ToolInvocation Invocation(
      CommandLine, &Factory, Files.get(),
      std::make_shared<clang::PCHContainerOperations>());
  clang::IgnoringDiagConsumer Quiet;
  Invocation.setDiagnosticConsumer(&Quiet);
  bool Built = Invocation.run();

  std::string Dependencies;
  llvm::raw_string_ostream Deps(Dependencies);
  std::sort(Factory.Files.begin(), Factory.Files.end());
  Factory.Files.erase(std::unique(Factory.Files.begin(), Factory.Files.end()),
                      Factory.Files.end());
  for (const std::string &Path : Factory.Files) {
    Dependency Dep;
    if (!describe(Path, Dep)) {
      Built = false;
      continue;
    }
    Deps << Dep.Size << " " << Dep.ModifiedNs << " "
         << llvm::utohexstr(Dep.Hash) << " " << Dep.Path << "\n";
  }
  Dependency Self;
  if (describe(Header, Self))
    Deps << Self.Size << " " << Self.ModifiedNs << " "
         << llvm::utohexstr(Self.Hash) << " " << Self.Path << "\n";
  Deps.flush();
  // Only a PCH in place makes the entry usable.
  if (Built && fs::rename(Pch + Unique, Pch))
    Built = false;
  fs::remove(Pch + Unique);

  std::string Manifest;
  llvm::raw_string_ostream Out(Manifest);
  Out << ManifestHeader << "\n"
      << (Built && Factory.OnlySystem ? "usable" : "unusable") << "\n"
      << Dependencies;
  Out.flush();
  {
    std::error_code Error;
    llvm::raw_fd_ostream File(Base + ".deps" + Unique, Error, fs::OF_Text);
    if (Error)
      return false;
    File << Manifest;
  }
  if (fs::rename(Base + ".deps" + Unique, Base + ".deps"))
    return false;
  return Built && Factory.OnlySystem;
}

void HeaderCache::prune(const std::string &Keep) {
  struct Entry {
    std::string Base;
    uint64_t Bytes;
    llvm::sys::TimePoint<> Used;
  };
  std::vector<Entry> Entries;
  uint64_t Total = 0;
  std::error_code Error;
  for (fs::directory_iterator I(Directory, Error), End; I != End && !Error;
       I.increment(Error)) {
    llvm::StringRef Name = I->path();
    if (!Name.ends_with(".pch"))
      continue;
    std::string Base = Name.drop_back(4).str();
    fs::file_status Pch, Manifest;
    if (fs::status(Name, Pch) || fs::status(Base + ".deps", Manifest))
      continue;
    Total += Pch.getSize();
    if (Base != Keep)
      Entries.push_back(
          {Base, Pch.getSize(), Manifest.getLastModificationTime()});
  }
  std::sort(Entries.begin(), Entries.end(),
            [](const Entry &A, const Entry &B) { return A.Used < B.Used; });
  for (const Entry &Old : Entries) {
    if (Total <= HeaderCacheMaxBytes)
      break;
    for (const char *Suffix : {".deps", ".pch", ".h"})
      fs::remove(Old.Base + Suffix);
    Total -= Old.Bytes;
  }
}

clang::tooling::CommandLineArguments
HeaderCache::adjust(const clang::tooling::CommandLineArguments &Args,
                    llvm::StringRef File) {
  if (Args.empty())
    return Args;
  // Forced includes come before the main file: a PCH of its prefix would
  // change their order.
  for (llvm::StringRef Arg : Args)
    if (Arg.starts_with("-include") || Arg.starts_with("-imacros") ||
        Arg == "-emit-ast")
      return Args;
  auto Source = llvm::MemoryBuffer::getFile(File, /*IsText=*/true);
  if (!Source)
    return Args;
  llvm::SmallString<256> SourceDirectory(File);
  fs::make_absolute(SourceDirectory);
  path::remove_filename(SourceDirectory);
  std::string Prefix = includePrefix((*Source)->getBuffer(), SourceDirectory,
                                     /*InHeader=*/false);
  if (Prefix.empty()) {
    say("no system include prefix", File);
    return Args;
  }

  std::vector<std::string> Flags = pchFlags(Args, File);
  llvm::SmallString<256> WorkingDirectory;
  fs::current_path(WorkingDirectory);
  std::string KeyText = clang::getClangFullVersion() + '\0' +
                        std::string(WorkingDirectory) + '\0' + Prefix + '\0';
  for (const std::string &Flag : Flags)
    KeyText += Flag + '\0';
  std::array<uint8_t, 32> Digest =
      llvm::SHA256::hash(llvm::arrayRefFromStringRef(KeyText));
  std::string Key = llvm::toHex(llvm::ArrayRef(Digest).take_front(16), true);
  if (fs::create_directories(Directory))
    return Args;
  llvm::SmallString<256> Base(Directory);
  path::append(Base, Key);
  fs::make_absolute(Base);
  std::string BasePath(Base);

  auto WithPch = [&] {
    // Marks the entry as recently used, for prune().
    int FD = -1;
    if (!fs::openFileForReadWrite(BasePath + ".deps", FD,
                                  fs::CD_OpenExisting, fs::OF_None)) {
      fs::setLastAccessAndModificationTime(FD,
                                           std::chrono::system_clock::now());
      fs::file_t Handle = fs::convertFDToNativeFile(FD);
      fs::closeFile(Handle);
    }
    clang::tooling::CommandLineArguments Adjusted = Args;
    Adjusted.insert(Adjusted.begin() + 1, {"-include-pch", BasePath + ".pch"});
    return Adjusted;
  };
  auto Answer = [&](bool Usable, llvm::StringRef What) {
    say(Usable ? What : "not cacheable", File);
    return Usable ? WithPch() : Args;
  };
  bool Usable = false;
  if (isFresh(BasePath + ".deps", Usable))
    return Answer(Usable, "hit");

  // Another process may be building the same entry: wait for it, then
  // build only if it left nothing fresh.
  for (int Try = 0; Try < 3; ++Try) {
    llvm::LockFileManager Lock(BasePath);
    if (Lock.getState() == llvm::LockFileManager::LFS_Shared) {
      Lock.waitForUnlock(/*MaxSeconds=*/600);
      if (isFresh(BasePath + ".deps", Usable))
        return Answer(Usable, "hit");
      continue;
    }
    if (isFresh(BasePath + ".deps", Usable))
      return Answer(Usable, "hit");
    bool Built = build(Flags, Args.front(), Prefix, BasePath);
    prune(BasePath);
    return Answer(Built, "built");
  }
  return Args;
}

} // namespace

std::string defaultHeaderCacheDirectory() {
  llvm::SmallString<256> Directory;
  if (!path::cache_directory(Directory))
    return "";
  path::append(Directory, "torch-tidy");
  return std::string(Directory);
}

clang::tooling::ArgumentsAdjuster
makeHeaderCacheAdjuster(std::string Directory, bool Log) {
  auto Cache = std::make_shared<HeaderCache>(std::move(Directory), Log);
  return [Cache](const clang::tooling::CommandLineArguments &Args,
                 llvm::StringRef File) { return Cache->adjust(Args, File); };
}

} // namespace torch_tidy
