//===--- LoopInstrumentation.h - Put probe markers into loops ---*- C++ -*-===//
//
// The text edits of `torch-tidy --instrument` for one file: the probe's
// marker first in each loop body, braces around a body that has none, and
// the probe's #include. Plain text in, text out, so the same code serves
// findings from this process and from worker processes.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_LOOPINSTRUMENTATION_H
#define TORCH_TIDY_ANALYZER_LOOPINSTRUMENTATION_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace torch_tidy {

inline constexpr const char *ProbeMarker = "TORCH_TIDY_ITERATION();";
inline constexpr const char *ProbeInclude = "#include \"torch_tidy/probe.h\"";

/// A loop to instrument, as byte offsets into the file's text.
struct LoopToInstrument {
  unsigned LoopBegin; // The loop's first character ('for', 'while', 'do').
  /// The body's first offset: its '{', or, for a body without braces, the
  /// end of the loop header (after ')' or 'do').
  unsigned BodyBegin;
  unsigned BodyEnd; // One past the body's '}' or trailing ';'.
};

/// One replacement of the original text.
struct TextEdit {
  unsigned Offset;
  unsigned Length;
  std::string Text;
  /// Orders insertions at the same offset: lower first. Closing braces of
  /// nested loops that end together must close the inner loop first.
  unsigned Rank = 0;
  /// Where the marker starts within Text, if this edit adds one.
  std::string::size_type MarkerAt = std::string::npos;
};

class InstrumentedText {
public:
  /// The new text of the file.
  const std::string &text() const { return Text; }
  /// Offsets in text() of the markers added, in order of the file.
  const std::vector<unsigned> &markers() const { return Markers; }
  bool changed() const { return !Edits.empty(); }

  /// Where the character at \p Offset of the original text is now.
  unsigned mapOffset(unsigned Offset) const;
  /// Where a range that ended with the character at \p Offset now ends:
  /// braces added after a loop body belong to the loop.
  unsigned mapLastOffset(unsigned Offset) const;

private:
  friend InstrumentedText instrumentLoops(llvm::StringRef,
                                          llvm::ArrayRef<LoopToInstrument>);
  std::string Text;
  std::vector<TextEdit> Edits; // Sorted, not overlapping.
  std::vector<unsigned> Markers;
};

/// Adds the marker as the first statement of each loop's body (once per
/// body; none to a body that already contains one), braces around a body
/// without them, and the probe's #include after the last #include of the
/// file's outermost conditional level, unless the file includes it already.
InstrumentedText instrumentLoops(llvm::StringRef Text,
                                 llvm::ArrayRef<LoopToInstrument> Loops);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_LOOPINSTRUMENTATION_H
