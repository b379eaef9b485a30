//===--- SourceLines.h - Byte offsets to lines and columns ------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_SOURCELINES_H
#define TORCH_TIDY_ANALYZER_SOURCELINES_H

#include "Findings.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace torch_tidy {

/// The line starts of one text: 1-based lines and columns to byte offsets
/// and back.
class LineTable {
public:
  LineTable() : LineTable("") {}
  explicit LineTable(llvm::StringRef Text);

  SourcePosition positionOf(unsigned Offset) const;
  /// The offset of \p P, clamped to the text.
  unsigned offsetOf(const SourcePosition &P) const;
  /// Line \p Line of \p Text (the text this table was made from), with its
  /// newline; "" when there is no such line.
  llvm::StringRef lineOf(llvm::StringRef Text, int Line) const;

private:
  std::vector<unsigned> Starts;
  unsigned Size;
};

/// Maps byte offsets of files to 1-based line and column, reading each file
/// once. Also hands out a line's text, for fingerprints.
class SourceLines {
public:
  SourcePosition positionOf(const std::string &File, unsigned Offset);
  std::string lineText(const std::string &File, int Line);

private:
  struct FileLines {
    std::string Text;
    LineTable Lines;
  };
  const FileLines &load(const std::string &File);

  llvm::StringMap<FileLines> Files;
};

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_SOURCELINES_H
