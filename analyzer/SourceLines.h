//===--- SourceLines.h - Byte offsets to lines and columns ------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_SOURCELINES_H
#define TORCH_TIDY_ANALYZER_SOURCELINES_H

#include "confirm/Findings.h"

#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace torch_tidy {

/// Maps byte offsets of files to 1-based line and column, reading each file
/// once. Also hands out a line's text, for fingerprints.
class SourceLines {
public:
  SourcePosition positionOf(const std::string &File, unsigned Offset);
  std::string lineText(const std::string &File, int Line);

private:
  struct FileLines {
    std::string Text;
    std::vector<unsigned> LineStarts;
  };
  const FileLines &load(const std::string &File);

  llvm::StringMap<FileLines> Files;
};

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_SOURCELINES_H
