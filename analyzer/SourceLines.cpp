//===--- SourceLines.cpp - Byte offsets to lines and columns --------------===//

#include "SourceLines.h"

#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>

namespace torch_tidy {

LineTable::LineTable(llvm::StringRef Text) : Size(Text.size()) {
  Starts.push_back(0);
  for (unsigned I = 0; I < Text.size(); ++I)
    if (Text[I] == '\n')
      Starts.push_back(I + 1);
}

SourcePosition LineTable::positionOf(unsigned Offset) const {
  auto It = std::upper_bound(Starts.begin(), Starts.end(), Offset);
  int Line = static_cast<int>(It - Starts.begin());
  return {Line, static_cast<int>(Offset - Starts[Line - 1]) + 1};
}

unsigned LineTable::offsetOf(const SourcePosition &P) const {
  if (P.Line < 1)
    return 0;
  size_t Line = std::min<size_t>(P.Line, Starts.size());
  return std::min<unsigned>(Starts[Line - 1] + std::max(P.Column, 1) - 1, Size);
}

llvm::StringRef LineTable::lineOf(llvm::StringRef Text, int Line) const {
  if (Line < 1 || static_cast<size_t>(Line) > Starts.size())
    return "";
  unsigned Begin = Starts[Line - 1];
  unsigned End =
      static_cast<size_t>(Line) < Starts.size() ? Starts[Line] : Text.size();
  return Text.slice(Begin, End);
}

const SourceLines::FileLines &SourceLines::load(const std::string &File) {
  auto [It, Inserted] = Files.try_emplace(File);
  FileLines &Loaded = It->second;
  if (!Inserted)
    return Loaded;
  if (auto Buffer =
          llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/false))
    Loaded.Text = (*Buffer)->getBuffer().str();
  Loaded.Lines = LineTable(Loaded.Text);
  return Loaded;
}

SourcePosition SourceLines::positionOf(const std::string &File,
                                       unsigned Offset) {
  return load(File).Lines.positionOf(Offset);
}

std::string SourceLines::lineText(const std::string &File, int Line) {
  const FileLines &Loaded = load(File);
  return Loaded.Lines.lineOf(Loaded.Text, Line).str();
}

} // namespace torch_tidy
