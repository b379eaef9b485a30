//===--- SourceLines.cpp - Byte offsets to lines and columns --------------===//

#include "SourceLines.h"

#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>

namespace torch_tidy {

const SourceLines::FileLines &SourceLines::load(const std::string &File) {
  auto [It, Inserted] = Files.try_emplace(File);
  FileLines &Lines = It->second;
  if (!Inserted)
    return Lines;
  if (auto Buffer = llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                                /*RequiresNullTerminator=*/false))
    Lines.Text = (*Buffer)->getBuffer().str();
  Lines.LineStarts.push_back(0);
  for (unsigned I = 0; I < Lines.Text.size(); ++I)
    if (Lines.Text[I] == '\n')
      Lines.LineStarts.push_back(I + 1);
  return Lines;
}

SourcePosition SourceLines::positionOf(const std::string &File,
                                       unsigned Offset) {
  const FileLines &Lines = load(File);
  auto It = std::upper_bound(Lines.LineStarts.begin(), Lines.LineStarts.end(),
                             Offset);
  int Line = static_cast<int>(It - Lines.LineStarts.begin());
  int Column = static_cast<int>(Offset - Lines.LineStarts[Line - 1]) + 1;
  return {Line, Column};
}

std::string SourceLines::lineText(const std::string &File, int Line) {
  const FileLines &Lines = load(File);
  if (Line < 1 || static_cast<size_t>(Line) > Lines.LineStarts.size())
    return "";
  unsigned Begin = Lines.LineStarts[Line - 1];
  unsigned End = static_cast<size_t>(Line) < Lines.LineStarts.size()
                     ? Lines.LineStarts[Line]
                     : Lines.Text.size();
  return Lines.Text.substr(Begin, End - Begin);
}

} // namespace torch_tidy
