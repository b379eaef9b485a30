//===--- CommandShape.h - What a precompiled prefix depends on --*- C++ -*-===//
//
// The header cache shares one PCH between compile commands that parse its
// headers alike. A command's shape splits its arguments into the user
// include directories (-I, -iquote), which differ from target to target and
// which the cache checks header by header, and everything else, which goes
// into the cache key as it is, with paths made absolute. See
// docs/performance.md.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_COMMANDSHAPE_H
#define TORCH_TIDY_ANALYZER_COMMANDSHAPE_H

#include "clang/Tooling/ArgumentsAdjusters.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace torch_tidy {

struct CommandShape {
  /// The compiler and the flags a PCH's contents can depend on, without the
  /// source file, outputs, dependency-file flags, -fsyntax-only and the
  /// user include directories; relative paths made absolute.
  std::vector<std::string> KeyFlags;
  /// -iquote directories, then -I directories, absolute, in command order:
  /// a quoted include searches both, an angled one only the second.
  std::vector<std::string> QuoteDirs;
  std::vector<std::string> AngledDirs;
  /// False when the command has search flags that are not modelled here
  /// (-I-, -iwithprefixbefore, frameworks): then the user directories must
  /// match exactly.
  bool UserDirsModelled = true;
};

/// The shape of \p Args (compiler first) compiling \p File, relative paths
/// taken against \p WorkingDirectory.
CommandShape shapeOf(const clang::tooling::CommandLineArguments &Args,
                     llvm::StringRef File, llvm::StringRef WorkingDirectory);

/// True when \p Arg is \p File as the command names it (the source
/// argument, which a PCH of the file's prefix must not be given).
bool isSourceArgument(llvm::StringRef Arg, llvm::StringRef File);

/// \p Path made absolute against \p WorkingDirectory; the real path (no
/// symbolic links, "." or "..") when it exists.
std::string absolutePath(llvm::StringRef Path,
                         llvm::StringRef WorkingDirectory);

/// Where a `#include` of \p Name finds its file among the user directories
/// of \p Shape (quoted: -iquote then -I; angled: -I), or "" when none has
/// it and the search goes on to the system directories. Paths are real.
std::string findInUserDirs(llvm::StringRef Name, bool Angled,
                           const CommandShape &Shape);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_COMMANDSHAPE_H
