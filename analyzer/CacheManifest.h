//===--- CacheManifest.h - What a header-cache entry depends on -*- C++ -*-===//
//
// Each entry of the header cache has a manifest (<key>.deps): whether its
// PCH is usable, which user include directories it may be shared across,
// and every file the PCH read with its size, modification time and content
// hash. An entry is fresh only while all of those files are unchanged.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_CACHEMANIFEST_H
#define TORCH_TIDY_ANALYZER_CACHEMANIFEST_H

#include "HeaderLookups.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace torch_tidy {

struct CacheManifest {
  /// The PCH was built and reads only system and libtorch headers.
  bool Usable = false;
  /// Commands with other user directories may use the PCH when their
  /// lookups agree (LookupRecord::Shareable).
  bool Shareable = false;
  /// A digest of the builder's user directories: commands with the same
  /// ones need no lookup check.
  std::string UserDirs;
  std::vector<HeaderLookup> Lookups;
};

/// The manifest at \p Path when it is of this version and every file it
/// lists is as it was (and, when usable, the PCH \p Pch exists).
std::optional<CacheManifest> readFreshManifest(const std::string &Path,
                                               const std::string &Pch);

/// The manifest lines of \p Files (absolute), each as it is now; nullopt
/// when one cannot be read.
std::optional<std::string> fileLines(const std::vector<std::string> &Files);

/// \p Manifest as text, with \p FileLines from fileLines().
std::string manifestText(const CacheManifest &Manifest,
                         llvm::StringRef FileLines);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CACHEMANIFEST_H
