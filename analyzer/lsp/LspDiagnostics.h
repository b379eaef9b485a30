//===--- LspDiagnostics.h - Worker findings as LSP diagnostics --*- C++ -*-===//
//
// Turns the worker's byte-offset diagnostics into LSP diagnostics of one
// document (rule id as code, a link to the rule's page, notes as related
// information), and keeps each one's fixes, as byte edits on the analysed
// text, for code actions.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_LSP_LSPDIAGNOSTICS_H
#define TORCH_TIDY_ANALYZER_LSP_LSPDIAGNOSTICS_H

#include "DocumentText.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace torch_tidy::lsp {

struct ByteEdit {
  std::string File;
  size_t Offset = 0;
  size_t Length = 0;
  std::string Text;
};

struct QuickFix {
  std::string Title;
  std::vector<ByteEdit> Edits;
  bool Preferred = false;
};

/// One published diagnostic and what the code actions can offer for it.
struct StoredDiagnostic {
  nlohmann::json Lsp;
  std::string Rule; // "" for torch-tidy's own messages.
  size_t Offset = 0;
  std::vector<QuickFix> Fixes;
};

/// The text of files other than the analysed one, read from disk once.
class FileTexts {
public:
  FileTexts(std::string MainFile, std::string MainText)
      : MainFile(std::move(MainFile)), MainText(std::move(MainText)) {}
  /// The file's text, "" when it cannot be read.
  const std::string &textOf(const std::string &File);

private:
  std::string MainFile, MainText;
  std::map<std::string, std::string> Others;
};

/// The diagnostics of \p File (analysed as \p Text) among the worker's.
/// Findings come as warnings or errors; a compiler error comes once, as
/// information, because clangd shows compiler errors already and ours only
/// says that findings may be missing. \p RuleDocsBase + rule + ".md" is each
/// rule's page ("" for no link).
std::vector<StoredDiagnostic>
convertDiagnostics(const nlohmann::json &WorkerDiagnostics,
                   const std::string &File, const std::string &Text,
                   const std::string &RuleDocsBase);

/// A diagnostic of torch-tidy itself (no compile command, a failed run) on
/// the file's first line.
StoredDiagnostic serverDiagnostic(const std::string &Message, int Severity);

/// The edit that adds `// NOLINT(Rule)` to the line of \p Offset in \p Text,
/// or adds Rule to a NOLINT(...) list already there.
ByteEdit nolintEdit(const std::string &File, const std::string &Text,
                    size_t Offset, const std::string &Rule);

/// An LSP TextEdit for \p Edit, on \p Text.
nlohmann::json textEdit(const std::string &Text, const ByteEdit &Edit);

} // namespace torch_tidy::lsp

#endif // TORCH_TIDY_ANALYZER_LSP_LSPDIAGNOSTICS_H
