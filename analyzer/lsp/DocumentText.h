//===--- DocumentText.h - LSP positions in a text, and edits ----*- C++ -*-===//
//
// LSP positions count lines from 0 and characters in UTF-16 code units;
// clang counts bytes. These convert between the two on the text the editor
// sent, and apply `didChange` edits.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_LSP_DOCUMENTTEXT_H
#define TORCH_TIDY_ANALYZER_LSP_DOCUMENTTEXT_H

#include "llvm/ADT/StringRef.h"

#include <nlohmann/json.hpp>

#include <string>

namespace torch_tidy::lsp {

struct Position {
  unsigned Line = 0;
  unsigned Character = 0; // UTF-16 code units.
};

/// The byte offset of \p P in \p Text. A character past the line's end
/// means the line's end; a line past the text's end means the text's end
/// (as the protocol asks).
size_t offsetOf(llvm::StringRef Text, Position P);

/// The position of byte \p Offset of \p Text (clamped to its size).
Position positionOf(llvm::StringRef Text, size_t Offset);

/// {"line": L, "character": C}; nullopt-like false when \p Value is not one.
bool readPosition(const nlohmann::json &Value, Position &Out);
nlohmann::json positionToJson(Position P);

/// Applies one TextDocumentContentChangeEvent: a whole new text, or a range
/// and its replacement. False, with a reason, when the change is malformed.
bool applyContentChange(std::string &Text, const nlohmann::json &Change,
                        std::string &Problem);

} // namespace torch_tidy::lsp

#endif // TORCH_TIDY_ANALYZER_LSP_DOCUMENTTEXT_H
