//===--- CommandShape.cpp - What a precompiled prefix depends on ----------===//

#include "CommandShape.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace path = llvm::sys::path;

namespace torch_tidy {

namespace {

/// Flags that name a path in their value (separate, or joined with or
/// without '='): made absolute in the key, so that commands run in other
/// directories share it.
bool isPathFlag(llvm::StringRef Flag) {
  for (llvm::StringRef Name :
       {"-isystem", "-idirafter", "-cxx-isystem", "-isysroot", "--sysroot",
        "-iprefix", "-resource-dir", "--gcc-toolchain", "-B"})
    if (Flag == Name)
      return true;
  return false;
}

/// Outputs and dependency files: they change what the compiler writes, not
/// what it parses.
bool isOutputFlag(llvm::StringRef Flag) {
  for (llvm::StringRef Name : {"-o", "-MF", "-MT", "-MQ", "-MJ"})
    if (Flag == Name)
      return true;
  return false;
}

bool isUnmodelledSearchFlag(llvm::StringRef Arg) {
  return Arg == "-I-" || Arg.starts_with("-iwithprefix") ||
         Arg.starts_with("-F") || Arg.starts_with("-iframework") ||
         Arg.starts_with("-ivfsoverlay") || Arg.starts_with("-I=");
}

} // namespace

std::string absolutePath(llvm::StringRef Path,
                         llvm::StringRef WorkingDirectory) {
  llvm::SmallString<256> Result;
  if (path::is_absolute(Path))
    Result = Path;
  else
    path::append(Result, WorkingDirectory, Path);
  // Not ".." by hand: through a symbolic link (/lib to usr/lib) it names
  // another directory.
  path::remove_dots(Result, /*remove_dot_dot=*/false);
  llvm::SmallString<256> Real;
  if (!llvm::sys::fs::real_path(Result, Real))
    return std::string(Real);
  return std::string(Result);
}

bool isSourceArgument(llvm::StringRef Arg, llvm::StringRef File) {
  llvm::StringRef Name = path::filename(File);
  return Arg == File || (!Arg.starts_with("-") && path::filename(Arg) == Name &&
                         Arg.ends_with(Name));
}

CommandShape shapeOf(const clang::tooling::CommandLineArguments &Args,
                     llvm::StringRef File, llvm::StringRef WorkingDirectory) {
  CommandShape Shape;
  if (Args.empty())
    return Shape;
  Shape.KeyFlags.push_back(Args.front());
  for (size_t I = 1; I < Args.size(); ++I) {
    llvm::StringRef Arg = Args[I];
    bool HasValue = I + 1 < Args.size();
    if (Arg == "-fsyntax-only" || Arg == "--" || Arg == "-c" || Arg == "-MD" ||
        Arg == "-MMD" || Arg == "-MP" || isSourceArgument(Arg, File))
      continue;
    if (isOutputFlag(Arg)) {
      ++I;
      continue;
    }
    if (Arg.starts_with("-o") || Arg.starts_with("-MF") ||
        Arg.starts_with("-MT") || Arg.starts_with("-MQ"))
      continue;
    if (isUnmodelledSearchFlag(Arg))
      Shape.UserDirsModelled = false;
    // The user include directories, in all their spellings.
    std::vector<std::string> *Dirs = nullptr;
    llvm::StringRef Dir;
    if (Arg == "-I" || Arg == "--include-directory" || Arg == "-iquote") {
      if (!HasValue)
        break;
      Dirs = Arg == "-iquote" ? &Shape.QuoteDirs : &Shape.AngledDirs;
      Dir = Args[++I];
    } else if (Arg.consume_front("--include-directory=")) {
      Dirs = &Shape.AngledDirs;
      Dir = Arg;
    } else if (Arg.starts_with("-iquote")) {
      Dirs = &Shape.QuoteDirs;
      Dir = Arg.drop_front(7);
    } else if (Arg.starts_with("-I") && Arg != "-I-") {
      Dirs = &Shape.AngledDirs;
      Dir = Arg.drop_front(2);
    }
    if (Dirs) {
      Dirs->push_back(absolutePath(Dir, WorkingDirectory));
      continue;
    }
    if (isPathFlag(Arg) && HasValue) {
      Shape.KeyFlags.push_back(Arg.str());
      Shape.KeyFlags.push_back(absolutePath(Args[++I], WorkingDirectory));
      continue;
    }
    // Joined path flags: -isystem/x, --sysroot=/x, -resource-dir=/x.
    bool Joined = false;
    for (llvm::StringRef Name :
         {"-isystem", "-idirafter", "-cxx-isystem", "-isysroot", "--sysroot",
          "-resource-dir", "--gcc-toolchain", "-B"}) {
      llvm::StringRef Value = Arg;
      if (!Value.consume_front(Name))
        continue;
      bool Equals = Value.consume_front("=");
      Shape.KeyFlags.push_back(Name.str() + (Equals ? "=" : "") +
                               absolutePath(Value, WorkingDirectory));
      Joined = true;
      break;
    }
    if (!Joined)
      Shape.KeyFlags.push_back(Arg.str());
  }
  return Shape;
}

std::string findInUserDirs(llvm::StringRef Name, bool Angled,
                           const CommandShape &Shape) {
  auto Search =
      [&](const std::vector<std::string> &Dirs) -> std::optional<std::string> {
    for (const std::string &Dir : Dirs) {
      llvm::SmallString<256> Candidate(Dir);
      path::append(Candidate, Name);
      if (llvm::sys::fs::is_regular_file(Candidate))
        return absolutePath(Candidate, "/");
    }
    return std::nullopt;
  };
  if (!Angled)
    if (std::optional<std::string> Found = Search(Shape.QuoteDirs))
      return *Found;
  return Search(Shape.AngledDirs).value_or("");
}

} // namespace torch_tidy
