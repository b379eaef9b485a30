//===--- AtomicFile.h - Output files, whole or not at all -------*- C++ -*-===//
//
// Every report, chart, instrumented source and cache entry of torch-tidy is
// written here, so that a full disk, a missing folder or a folder without
// permission is one message and never a report silently lost or half
// written. Standard library and POSIX only: confirm and the runtime probe
// build without LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_COMMON_ATOMICFILE_H
#define TORCH_TIDY_ANALYZER_COMMON_ATOMICFILE_H

#include <string>
#include <string_view>

namespace torch_tidy {

/// How far a written file is pushed before the rename makes it visible.
enum class Durability {
  /// Written and closed: survives the process being killed, not a power
  /// loss. For files that are rewritten often or can be made again (the
  /// probe's periodic reports, the header cache, files between processes).
  Closed,
  /// Also fsync'ed, file and folder: for what the user keeps (reports,
  /// instrumented sources), which must not turn up empty after a crash.
  Synced,
};

/// Writes \p Text to \p Path so that a reader sees the previous file or the
/// new one, never part of it: a temporary file with a unique name in the
/// same folder, written, checked, then renamed over \p Path. A file that is
/// not a regular file (/dev/full, /dev/stdout, a pipe) is written directly,
/// every write and the close checked. On failure nothing is left behind (an
/// existing \p Path is untouched) and \p Problem is one line naming the file
/// and the system's reason: "cannot write 'PATH': No space left on device".
bool writeFileAtomically(const std::string &Path, std::string_view Text,
                         std::string &Problem,
                         Durability Level = Durability::Synced);

/// Writes \p Text to standard output, checking every write: a report piped
/// into a full disk is an error, not an exit status of 0. What stdio and
/// std::cout hold is flushed first; other streams (llvm::outs()) are the
/// caller's to flush.
bool writeStandardOutput(std::string_view Text, std::string &Problem);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_COMMON_ATOMICFILE_H
