//===--- HeaderCache.cpp - Precompiled system headers, reused -------------===//

#include "HeaderCache.h"
#include "ContentDigest.h"

#include "AtomicFile.h"
#include "CacheManifest.h"
#include "CommandShape.h"
#include "IncludePrefix.h"
#include "PchBuild.h"

#include "TorchTidyRules/UserCode.h"

#include "clang/Basic/Version.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/LockFileManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <vector>

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace torch_tidy {

namespace {

/// The arguments without the compiler, the source file and -fsyntax-only:
/// those a PCH of the file's prefix is built with.
std::vector<std::string>
pchFlags(const clang::tooling::CommandLineArguments &Args,
         llvm::StringRef File) {
  std::vector<std::string> Flags;
  for (size_t I = 1; I < Args.size(); ++I) {
    llvm::StringRef Arg = Args[I];
    // Inferred commands (files missing from the compile database) end in
    // "-- file": the PCH's own arguments come after these flags.
    if (Arg == "-fsyntax-only" || Arg == "--" || isSourceArgument(Arg, File))
      continue;
    Flags.push_back(Arg.str());
  }
  return Flags;
}

/// A cache entry's file. The cache can be rebuilt, so the file is not
/// fsync'ed, and one that cannot be written only costs the entry.
bool writeFile(const std::string &Path, llvm::StringRef Text) {
  std::string Ignored;
  return writeFileAtomically(Path, Text, Ignored, Durability::Closed);
}

/// The entries one command may use, each <base>.pch with its manifest
/// <base>.deps: the one shared across user include directories (when the
/// command's can be modelled) and the one for exactly its own.
class EntryRequest {
public:
  EntryRequest(std::optional<std::string> Shared, std::string Exact,
               const clang::tooling::CommandLineArguments &Args,
               llvm::StringRef File, llvm::StringRef WorkingDirectory,
               const CommandShape &Shape, llvm::StringRef Prefix,
               llvm::StringRef UserDirs)
      : Shared(std::move(Shared)), Exact(std::move(Exact)), Args(Args),
        File(File), WorkingDirectory(WorkingDirectory), Shape(Shape),
        Prefix(Prefix), UserDirs(UserDirs) {}

  enum class Answer { Hit, Built, NotCacheable, Unavailable };

  /// Finds an entry this command may use, building one when there is none;
  /// sets Used to its base.
  Answer resolve();
  std::string Used;

private:
  enum class Judgement { Use, NotCacheable, OtherDirs, Stale };
  Judgement judge(const std::string &Base) const;
  /// Looks at both entries: Use or NotCacheable settle it (Used is set);
  /// \p SharedTaken says whether a fresh shared entry serves other
  /// directories.
  std::optional<Answer> lookUp(bool &SharedTaken);
  /// Builds the PCH and files it under the shared entry when it may serve
  /// other directories and that entry is free, else under the exact one.
  bool build(bool SharedTaken);

  std::optional<std::string> Shared;
  std::string Exact;
  const clang::tooling::CommandLineArguments &Args;
  llvm::StringRef File;
  llvm::StringRef WorkingDirectory;
  const CommandShape &Shape;
  llvm::StringRef Prefix;
  llvm::StringRef UserDirs;
};

EntryRequest::Judgement EntryRequest::judge(const std::string &Base) const {
  std::optional<CacheManifest> Manifest =
      readFreshManifest(Base + ".deps", Base + ".pch");
  if (!Manifest)
    return Judgement::Stale;
  if (Manifest->UserDirs != UserDirs &&
      !(Manifest->Shareable && lookupsAlike(Manifest->Lookups, Shape)))
    return Judgement::OtherDirs;
  return Manifest->Usable ? Judgement::Use : Judgement::NotCacheable;
}

std::optional<EntryRequest::Answer> EntryRequest::lookUp(bool &SharedTaken) {
  SharedTaken = false;
  for (const std::string *Base : {Shared ? &*Shared : nullptr, &Exact}) {
    if (!Base)
      continue;
    Judgement Got = judge(*Base);
    if (Got == Judgement::OtherDirs && Shared && Base == &*Shared)
      SharedTaken = true;
    if (Got == Judgement::Use || Got == Judgement::NotCacheable) {
      Used = *Base;
      return Got == Judgement::Use ? Answer::Hit : Answer::NotCacheable;
    }
  }
  return std::nullopt;
}

EntryRequest::Answer EntryRequest::resolve() {
  bool SharedTaken = false;
  if (std::optional<Answer> Found = lookUp(SharedTaken))
    return *Found;
  // One build at a time per shared entry, whichever entry it fills; another
  // process may be building it: wait, then build only if it left nothing.
  const std::string &LockBase = Shared ? *Shared : Exact;
  for (int Try = 0; Try < 3; ++Try) {
    llvm::LockFileManager Lock(LockBase);
    if (Lock.getState() == llvm::LockFileManager::LFS_Shared) {
      Lock.waitForUnlock(/*MaxSeconds=*/600);
      if (std::optional<Answer> Found = lookUp(SharedTaken))
        return *Found;
      continue;
    }
    if (std::optional<Answer> Found = lookUp(SharedTaken))
      return *Found;
    if (!build(SharedTaken))
      return Answer::Unavailable;
    std::optional<Answer> Found = lookUp(SharedTaken);
    if (!Found)
      return Answer::NotCacheable;
    return *Found == Answer::Hit ? Answer::Built : *Found;
  }
  return Answer::Unavailable;
}

bool EntryRequest::build(bool SharedTaken) {
  // The prefix header is an input of the PCH: a changed modification time
  // would make clang reject it, so it is written once and then kept. Its
  // name is the lock's, so no two builds write it at once.
  const std::string &LockBase = Shared ? *Shared : Exact;
  std::string Header = LockBase + ".h";
  auto Existing = llvm::MemoryBuffer::getFile(Header);
  if ((!Existing || (*Existing)->getBuffer() != Prefix) &&
      !writeFile(Header, Prefix))
    return false;
  std::string Unique = "." + std::to_string(llvm::sys::Process::getProcessId());
  std::string Temporary = Exact + ".pch" + Unique;
  std::vector<std::string> CommandLine{Args.front()};
  for (std::string &Flag : pchFlags(Args, File))
    CommandLine.push_back(std::move(Flag));
  for (const char *Arg : {"-fpch-instantiate-templates", "-x", "c++-header"})
    CommandLine.push_back(Arg);
  CommandLine.push_back(Header);
  CommandLine.push_back("-o");
  CommandLine.push_back(Temporary);
  PchBuild Build = buildPch(CommandLine, Shape, WorkingDirectory);

  CacheManifest Manifest;
  Manifest.Shareable = Build.Lookups.Shareable && Shape.UserDirsModelled;
  Manifest.UserDirs = UserDirs.str();
  Manifest.Lookups = std::move(Build.Lookups.Lookups);
  Build.Files.push_back(Header);
  std::optional<std::string> Files = fileLines(Build.Files);
  Manifest.Usable = Files && Build.Built && Build.OnlySystem;
  // The shared name is for the PCH that other directories are likely to
  // parse alike: one whose user directories gave nothing but libtorch's
  // headers (libtorch found through -I), and only while no other entry has
  // it. A target's own header named like a standard one gets its own entry.
  bool UserDirsGaveLibtorchOnly = std::all_of(
      Manifest.Lookups.begin(), Manifest.Lookups.end(),
      [](const HeaderLookup &Lookup) {
        return Lookup.InUserDirs.empty() ||
               clang::tidy::torch::isLibtorchHeaderPath(Lookup.InUserDirs);
      });
  const std::string &Base = Shared && !SharedTaken && Manifest.Usable &&
                                    Manifest.Shareable &&
                                    UserDirsGaveLibtorchOnly
                                ? *Shared
                                : Exact;
  // Only a PCH in place makes the entry usable.
  if (Manifest.Usable && fs::rename(Temporary, Base + ".pch"))
    Manifest.Usable = false;
  fs::remove(Temporary);
  return writeFile(Base + ".deps", manifestText(Manifest, Files.value_or("")));
}

/// Keeps the PCHs in \p Directory under HeaderCacheMaxBytes, least recently
/// used (by the manifest's time, touched on every use) first.
void prune(const std::string &Directory, const std::string &Keep) {
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

/// Marks the entry as recently used, for prune().
void touch(const std::string &Manifest) {
  int FD = -1;
  if (fs::openFileForReadWrite(Manifest, FD, fs::CD_OpenExisting, fs::OF_None))
    return;
  fs::setLastAccessAndModificationTime(FD, std::chrono::system_clock::now());
  fs::file_t Handle = fs::convertFDToNativeFile(FD);
  fs::closeFile(Handle);
}

} // namespace

llvm::StringRef describe(CacheOutcome Outcome) {
  switch (Outcome) {
  case CacheOutcome::Hit:
    return "hit";
  case CacheOutcome::Built:
    return "built";
  case CacheOutcome::NotCacheable:
    return "not cacheable";
  case CacheOutcome::NoPrefix:
    return "no system include prefix";
  case CacheOutcome::NotLookedFor:
    return "not looked for (forced includes)";
  case CacheOutcome::Unavailable:
    return "unavailable";
  }
  return "unavailable";
}

HeaderCache::HeaderCache(llvm::StringRef Directory) {
  llvm::SmallString<256> Absolute(Directory);
  fs::make_absolute(Absolute);
  path::remove_dots(Absolute, /*remove_dot_dot=*/true);
  this->Directory = std::string(Absolute);
}

HeaderCache::Adjusted
HeaderCache::adjust(const clang::tooling::CommandLineArguments &Args,
                    llvm::StringRef File, llvm::StringRef WorkingDirectory,
                    llvm::vfs::FileSystem &FS) const {
  Adjusted Result{Args, CacheOutcome::Unavailable};
  if (Args.empty())
    return Result;
  // Forced includes come before the main file: a PCH of its prefix would
  // change their order.
  for (llvm::StringRef Arg : Args)
    if (Arg.starts_with("-include") || Arg.starts_with("-imacros") ||
        Arg == "-emit-ast") {
      Result.Outcome = CacheOutcome::NotLookedFor;
      return Result;
    }
  std::string MainFile = absolutePath(File, WorkingDirectory);
  auto Source = FS.getBufferForFile(MainFile);
  if (!Source)
    return Result;
  CommandShape Shape = shapeOf(Args, File, WorkingDirectory);
  std::string Prefix =
      includePrefix(MainFile, (*Source)->getBuffer(), Shape, FS);
  if (Prefix.empty()) {
    Result.Outcome = CacheOutcome::NoPrefix;
    return Result;
  }
  if (fs::create_directories(Directory))
    return Result;

  // The key: what the PCH's contents depend on, whatever the command's
  // directory and user include directories (see CommandShape).
  std::string KeyText = clang::getClangFullVersion() + '\0' + Prefix + '\0';
  for (const std::string &Flag : Shape.KeyFlags)
    KeyText += Flag + '\0';
  std::string UserDirsText;
  for (const std::string &Dir : Shape.QuoteDirs)
    UserDirsText += "-iquote" + Dir + '\0';
  for (const std::string &Dir : Shape.AngledDirs)
    UserDirsText += "-I" + Dir + '\0';
  std::string UserDirs = contentDigest(UserDirsText);
  auto BaseOf = [&](llvm::StringRef KeyText) {
    llvm::SmallString<256> Base(Directory);
    path::append(Base, contentDigest(KeyText));
    return std::string(Base);
  };
  std::optional<std::string> Shared;
  if (Shape.UserDirsModelled)
    Shared = BaseOf(KeyText);
  EntryRequest Entry(Shared,
                     BaseOf(KeyText + "user-dirs" + '\0' + UserDirsText), Args,
                     File, WorkingDirectory, Shape, Prefix, UserDirs);
  using Answer = EntryRequest::Answer;
  Answer Got = Entry.resolve();
  if (Got == Answer::Built)
    prune(Directory, Entry.Used);
  if (Got == Answer::Hit || Got == Answer::Built) {
    touch(Entry.Used + ".deps");
    Result.Arguments.insert(Result.Arguments.begin() + 1,
                            {"-include-pch", Entry.Used + ".pch"});
  }
  Result.Outcome = Got == Answer::Hit            ? CacheOutcome::Hit
                   : Got == Answer::Built        ? CacheOutcome::Built
                   : Got == Answer::NotCacheable ? CacheOutcome::NotCacheable
                                                 : CacheOutcome::Unavailable;
  return Result;
}

std::string defaultHeaderCacheDirectory() {
  llvm::SmallString<256> Directory;
  if (!path::cache_directory(Directory))
    return "";
  path::append(Directory, "torch-tidy");
  return std::string(Directory);
}

clang::tooling::ArgumentsAdjuster
makeHeaderCacheAdjuster(llvm::StringRef Directory, bool Log) {
  auto Cache = std::make_shared<HeaderCache>(Directory);
  return [Cache, Log](const clang::tooling::CommandLineArguments &Args,
                      llvm::StringRef File) {
    llvm::SmallString<256> WorkingDirectory;
    fs::current_path(WorkingDirectory);
    HeaderCache::Adjusted Result = Cache->adjust(
        Args, File, WorkingDirectory, *llvm::vfs::getRealFileSystem());
    if (Log)
      llvm::errs() << "torch-tidy: header cache: " << describe(Result.Outcome)
                   << ": " << File << "\n";
    return Result.Arguments;
  };
}

} // namespace torch_tidy
