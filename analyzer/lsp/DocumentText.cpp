//===--- DocumentText.cpp - LSP positions in a text, and edits ------------===//

#include "DocumentText.h"

namespace torch_tidy::lsp {

namespace {

/// The length in bytes of the UTF-8 sequence that starts with \p Lead; bad
/// lead bytes count as one byte (and one UTF-16 unit), as clangd does.
size_t sequenceLength(unsigned char Lead) {
  if (Lead < 0xC0)
    return 1;
  if (Lead < 0xE0)
    return 2;
  if (Lead < 0xF0)
    return 3;
  return 4;
}

} // namespace

size_t offsetOf(llvm::StringRef Text, Position P) {
  size_t LineStart = 0;
  for (unsigned L = 0; L < P.Line; ++L) {
    size_t Break = Text.find('\n', LineStart);
    if (Break == llvm::StringRef::npos)
      return Text.size();
    LineStart = Break + 1;
  }
  size_t LineEnd = Text.find('\n', LineStart);
  if (LineEnd == llvm::StringRef::npos)
    LineEnd = Text.size();
  size_t Offset = LineStart;
  unsigned Units = 0;
  while (Offset < LineEnd && Units < P.Character) {
    size_t Length = sequenceLength(Text[Offset]);
    if (Offset + Length > LineEnd)
      Length = LineEnd - Offset;
    Units += Length == 4 ? 2 : 1;
    Offset += Length;
  }
  return Offset;
}

Position positionOf(llvm::StringRef Text, size_t Offset) {
  Offset = std::min(Offset, Text.size());
  Position P;
  size_t LineStart = 0;
  for (size_t Break = Text.find('\n');
       Break != llvm::StringRef::npos && Break < Offset;
       Break = Text.find('\n', Break + 1)) {
    ++P.Line;
    LineStart = Break + 1;
  }
  for (size_t I = LineStart; I < Offset;) {
    size_t Length = sequenceLength(Text[I]);
    P.Character += Length == 4 ? 2 : 1;
    I += Length;
  }
  return P;
}

bool readPosition(const nlohmann::json &Value, Position &Out) {
  if (!Value.is_object())
    return false;
  auto Line = Value.find("line");
  auto Character = Value.find("character");
  if (Line == Value.end() || Character == Value.end() ||
      !Line->is_number_unsigned() || !Character->is_number_unsigned())
    return false;
  // Larger values mean "past the end" and clamp there.
  Out.Line = static_cast<unsigned>(
      std::min<uint64_t>(Line->get<uint64_t>(), UINT32_MAX));
  Out.Character = static_cast<unsigned>(
      std::min<uint64_t>(Character->get<uint64_t>(), UINT32_MAX));
  return true;
}

nlohmann::json positionToJson(Position P) {
  return {{"line", P.Line}, {"character", P.Character}};
}

bool applyContentChange(std::string &Text, const nlohmann::json &Change,
                        std::string &Problem) {
  if (!Change.is_object() || !Change.contains("text") ||
      !Change["text"].is_string()) {
    Problem = "a content change needs a 'text' string";
    return false;
  }
  const std::string &NewText = Change["text"].get_ref<const std::string &>();
  auto Range = Change.find("range");
  if (Range == Change.end()) {
    Text = NewText;
    return true;
  }
  Position Start, End;
  if (!Range->is_object() || !Range->contains("start") ||
      !Range->contains("end") || !readPosition((*Range)["start"], Start) ||
      !readPosition((*Range)["end"], End)) {
    Problem = "a content change has a malformed 'range'";
    return false;
  }
  size_t From = offsetOf(Text, Start);
  size_t To = offsetOf(Text, End);
  if (To < From) {
    Problem = "a content change's range ends before it starts";
    return false;
  }
  Text.replace(From, To - From, NewText);
  return true;
}

} // namespace torch_tidy::lsp
