//===--- LoopInstrumentation.cpp - Put probe markers into loops -----------===//

#include "LoopInstrumentation.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <climits>
#include <optional>
#include <set>

namespace torch_tidy {

namespace {

bool isBlank(char C) { return C == ' ' || C == '\t'; }

unsigned lineStart(llvm::StringRef Text, unsigned Offset) {
  size_t Newline = Text.take_front(Offset).rfind('\n');
  return Newline == llvm::StringRef::npos ? 0 : Newline + 1;
}

/// The blanks that start the line holding \p Offset.
std::string indentOfLine(llvm::StringRef Text, unsigned Offset) {
  unsigned Begin = lineStart(Text, Offset);
  unsigned End = Begin;
  while (End < Text.size() && isBlank(Text[End]))
    ++End;
  return Text.slice(Begin, End).str();
}

/// One level deeper than \p Indent, in the file's own kind of blank.
std::string deeper(const std::string &Indent) {
  return Indent + (Indent.find('\t') != std::string::npos ? "\t" : "  ");
}

/// \p Offset after the blanks that follow it.
unsigned skipBlanks(llvm::StringRef Text, unsigned Offset) {
  while (Offset < Text.size() && isBlank(Text[Offset]))
    ++Offset;
  return Offset;
}

/// True when nothing but blanks or a comment follows \p Offset on its line,
/// so that the body's code starts on a later line.
bool restOfLineIsEmpty(llvm::StringRef Text, unsigned Offset) {
  llvm::StringRef Rest = Text.substr(skipBlanks(Text, Offset));
  return Rest.empty() || Rest.starts_with("\n") || Rest.starts_with("\r") ||
         Rest.starts_with("//") || Rest.starts_with("/*");
}

/// The first offset after the line holding \p Offset whose line has code
/// (not blank, not a preprocessor line), or Text.size().
unsigned nextCodeLine(llvm::StringRef Text, unsigned Offset) {
  size_t Newline = Text.find('\n', Offset);
  while (Newline != llvm::StringRef::npos) {
    unsigned First = skipBlanks(Text, Newline + 1);
    if (First < Text.size() && Text[First] != '\n' && Text[First] != '\r' &&
        Text[First] != '#')
      return First;
    Newline = Text.find('\n', Newline + 1);
  }
  return Text.size();
}

/// The edits that put the marker first in one loop's body.
void planLoop(llvm::StringRef Text, const LoopToInstrument &Loop,
              std::vector<TextEdit> &Edits) {
  std::string LoopIndent = indentOfLine(Text, Loop.LoopBegin);
  std::string Marker = ProbeMarker;
  if (Text[Loop.BodyBegin] == '{') {
    unsigned AfterBrace = Loop.BodyBegin + 1;
    unsigned Close = Loop.BodyEnd - 1;
    if (restOfLineIsEmpty(Text, AfterBrace)) {
      // The usual layout: the marker gets the indentation of the body's
      // first line, or one level more than the loop's when it is empty.
      unsigned First = nextCodeLine(Text, AfterBrace);
      std::string Indent =
          First >= Close ? deeper(LoopIndent) : indentOfLine(Text, First);
      Edits.push_back(
          {AfterBrace, 0, "\n" + Indent + Marker, 0, 1 + Indent.size()});
      return;
    }
    // Code (or the '}') on the brace's line: give the marker and it lines
    // of their own.
    unsigned Code = skipBlanks(Text, AfterBrace);
    std::string Indent = deeper(LoopIndent);
    std::string After = Code == Close ? LoopIndent : Indent;
    Edits.push_back({AfterBrace, Code - AfterBrace,
                     "\n" + Indent + Marker + "\n" + After, 0,
                     1 + Indent.size()});
    return;
  }
  // No braces: add them, with the marker, around the single statement.
  unsigned HeaderEnd = Loop.BodyBegin;
  if (restOfLineIsEmpty(Text, HeaderEnd)) {
    unsigned First = nextCodeLine(Text, HeaderEnd);
    std::string Indent = indentOfLine(Text, std::min(First, Loop.BodyEnd - 1));
    Edits.push_back(
        {HeaderEnd, 0, " {\n" + Indent + Marker, 0, 3 + Indent.size()});
  } else {
    unsigned Code = skipBlanks(Text, HeaderEnd);
    std::string Indent = deeper(LoopIndent);
    Edits.push_back({HeaderEnd, Code - HeaderEnd,
                     " {\n" + Indent + Marker + "\n" + Indent, 0,
                     3 + Indent.size()});
  }
  // Loops that end together: the inner one (which starts later) closes
  // first.
  Edits.push_back(
      {Loop.BodyEnd, 0, "\n" + LoopIndent + "}", UINT_MAX - Loop.BodyBegin});
}

/// The #include line's edit, or none when the file includes the probe.
std::optional<TextEdit> planInclude(llvm::StringRef Text) {
  int Depth = 0;
  int BestDepth = INT_MAX;
  unsigned After = 0; // Start of the line after the chosen #include.
  bool Found = false;
  for (unsigned Begin = 0; Begin < Text.size();) {
    size_t Newline = Text.find('\n', Begin);
    unsigned End = Newline == llvm::StringRef::npos ? Text.size() : Newline;
    llvm::StringRef Line = Text.slice(Begin, End).trim();
    if (Line.consume_front("#")) {
      llvm::StringRef Directive = Line.ltrim();
      if (Directive.starts_with("if"))
        ++Depth;
      else if (Directive.starts_with("endif"))
        --Depth;
      else if (Directive.starts_with("include")) {
        if (Directive.contains("torch_tidy/probe.h"))
          return std::nullopt;
        // The last #include of the least nested level: past the includes
        // of a header guard's body, not inside an #if of its own.
        if (Depth <= BestDepth) {
          BestDepth = Depth;
          After = End;
          Found = true;
        }
      }
    }
    Begin = End + 1;
  }
  if (Found) {
    if (After >= Text.size())
      return TextEdit{After, 0, std::string("\n") + ProbeInclude};
    return TextEdit{After + 1, 0, std::string(ProbeInclude) + "\n"};
  }
  // No #include at all: before the first line that is not a // comment.
  unsigned Begin = 0;
  while (Begin < Text.size()) {
    llvm::StringRef Line = Text.substr(Begin).split('\n').first.trim();
    if (!Line.empty() && !Line.starts_with("//"))
      break;
    size_t Newline = Text.find('\n', Begin);
    Begin = Newline == llvm::StringRef::npos ? Text.size() : Newline + 1;
  }
  return TextEdit{Begin, 0, std::string(ProbeInclude) + "\n\n"};
}

} // namespace

unsigned InstrumentedText::mapOffset(unsigned Offset) const {
  long Shift = 0;
  for (const TextEdit &Edit : Edits) {
    if (Edit.Offset + Edit.Length <= Offset)
      Shift += static_cast<long>(Edit.Text.size()) - Edit.Length;
    else if (Edit.Offset <= Offset) // Replaced blanks: where their edit went.
      return static_cast<unsigned>(Edit.Offset + Shift);
    else
      break;
  }
  return static_cast<unsigned>(Offset + Shift);
}

unsigned InstrumentedText::mapLastOffset(unsigned Offset) const {
  return mapOffset(Offset + 1) - 1;
}

InstrumentedText instrumentLoops(llvm::StringRef Text,
                                 llvm::ArrayRef<LoopToInstrument> Loops) {
  InstrumentedText Result;
  std::vector<TextEdit> Edits;
  std::set<unsigned> Bodies;
  for (const LoopToInstrument &Loop : Loops) {
    if (Loop.BodyBegin >= Loop.BodyEnd || Loop.BodyEnd > Text.size() ||
        Loop.LoopBegin > Loop.BodyBegin ||
        !Bodies.insert(Loop.BodyBegin).second)
      continue;
    // A body that has a marker (perhaps in a nested loop) is measured
    // already: instrumenting is idempotent.
    if (Text.slice(Loop.BodyBegin, Loop.BodyEnd)
            .contains("TORCH_TIDY_ITERATION"))
      continue;
    planLoop(Text, Loop, Edits);
  }
  if (Edits.empty()) {
    Result.Text = Text.str();
    return Result;
  }
  if (std::optional<TextEdit> Include = planInclude(Text))
    Edits.push_back(*Include);
  llvm::stable_sort(Edits, [](const TextEdit &A, const TextEdit &B) {
    return std::make_pair(A.Offset, A.Rank) < std::make_pair(B.Offset, B.Rank);
  });

  unsigned Copied = 0;
  for (const TextEdit &Edit : Edits) {
    if (Edit.Offset < Copied)
      continue; // Overlaps an earlier edit; cannot happen for real loops.
    Result.Text += Text.slice(Copied, Edit.Offset);
    if (Edit.MarkerAt != std::string::npos)
      Result.Markers.push_back(Result.Text.size() + Edit.MarkerAt);
    Result.Text += Edit.Text;
    Copied = Edit.Offset + Edit.Length;
    Result.Edits.push_back(Edit);
  }
  Result.Text += Text.substr(Copied);
  return Result;
}

} // namespace torch_tidy
