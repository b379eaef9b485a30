//===--- HeaderCache.h - Precompiled system headers, reused -----*- C++ -*-===//
//
// Parsing libtorch's headers is nearly all the cost of analysing a file. The
// cache keeps a precompiled header (PCH) of the leading `#include <...>`
// lines of a main file, built with the file's own flags, and hands it to the
// analysis with -include-pch when the next run sees the same prefix, flags and
// header contents. See docs/performance.md.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_HEADERCACHE_H
#define TORCH_TIDY_ANALYZER_HEADERCACHE_H

#include "clang/Tooling/ArgumentsAdjusters.h"

#include <cstdint>
#include <string>

namespace torch_tidy {

/// The cache's directory when --cache-dir is not given:
/// $XDG_CACHE_HOME/torch-tidy, else ~/.cache/torch-tidy; "" when neither
/// can be found.
std::string defaultHeaderCacheDirectory();

/// The PCHs of all prefixes together are kept under this many bytes; the
/// least recently used go first.
constexpr uint64_t HeaderCacheMaxBytes = uint64_t(2) << 30;

/// An arguments adjuster, to run last, that adds `-include-pch <cached>` to
/// the command of a file whose leading system includes have a valid entry in
/// \p Directory, building the entry first when it is missing or stale. A file
/// without such includes, or whose PCH cannot be built, keeps its command.
///
/// An entry is keyed by the clang version, working directory, arguments and
/// the include lines; its manifest lists every header the PCH read with its
/// size, modification time and content hash, and any difference rebuilds it.
/// Entries are built under a lock file and renamed into place, so parallel
/// runs share them. With \p Log, says on stderr for each file whether the
/// entry was a hit, built, not cacheable, or not looked for.
clang::tooling::ArgumentsAdjuster
makeHeaderCacheAdjuster(std::string Directory, bool Log);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_HEADERCACHE_H
