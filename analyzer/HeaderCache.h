//===--- HeaderCache.h - Precompiled system headers, reused -----*- C++ -*-===//
//
// Parsing libtorch's headers is nearly all the cost of analysing a file. The
// cache keeps a precompiled header (PCH) of the system headers a translation
// unit starts with (directly, or through the project's own header included
// first), and hands it to the analysis with -include-pch when a command
// parses those headers alike. See docs/performance.md.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_HEADERCACHE_H
#define TORCH_TIDY_ANALYZER_HEADERCACHE_H

#include "clang/Tooling/ArgumentsAdjusters.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <cstdint>
#include <optional>
#include <string>

namespace torch_tidy {

/// The cache's directory when --cache-dir is not given:
/// $XDG_CACHE_HOME/torch-tidy, else ~/.cache/torch-tidy; "" when neither
/// can be found.
std::string defaultHeaderCacheDirectory();

/// The PCHs of all prefixes together are kept under this many bytes; the
/// least recently used go first.
constexpr uint64_t HeaderCacheMaxBytes = uint64_t(2) << 30;

/// What the cache did for one command.
enum class CacheOutcome {
  Hit,          ///< An entry was there: the command uses its PCH.
  Built,        ///< The entry was built now: the command uses its PCH.
  NotCacheable, ///< The prefix reads user headers, or its PCH failed.
  NoPrefix,     ///< The file does not start with system includes.
  NotLookedFor, ///< Forced includes (-include) come before the file.
  Unavailable,  ///< The cache directory cannot be used.
};

/// "hit", "built", ...: the words of --cache-log.
llvm::StringRef describe(CacheOutcome Outcome);

/// A header cache in one directory. It keeps no state between calls, so a
/// long-running process (a language server) can hold one and call it from
/// several threads; processes share the directory through lock files.
class HeaderCache {
public:
  /// A relative \p Directory is taken against the working directory of the
  /// process now, never against a compile command's directory.
  explicit HeaderCache(llvm::StringRef Directory);

  struct Adjusted {
    clang::tooling::CommandLineArguments Arguments;
    CacheOutcome Outcome;
  };

  /// \p Args (the compiler first, the syntax-only command for \p File, to
  /// run in \p WorkingDirectory) with `-include-pch <entry>` added when the
  /// file's prefix has a usable entry, which is built first when it is
  /// missing or stale. \p FS supplies the main file and the project headers
  /// that lead to the prefix (an editor's unsaved buffers belong there); the
  /// PCH itself is built from the files on disk.
  Adjusted adjust(const clang::tooling::CommandLineArguments &Args,
                  llvm::StringRef File, llvm::StringRef WorkingDirectory,
                  llvm::vfs::FileSystem &FS) const;

  const std::string &directory() const { return Directory; }

private:
  std::string Directory;
};

/// An arguments adjuster, to run last, that passes each command through a
/// HeaderCache in \p Directory (its working directory is the process's, as
/// ClangTool sets it). With \p Log, says on stderr for each file what the
/// cache did.
clang::tooling::ArgumentsAdjuster
makeHeaderCacheAdjuster(llvm::StringRef Directory, bool Log);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_HEADERCACHE_H
