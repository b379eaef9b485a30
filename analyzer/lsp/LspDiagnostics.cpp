//===--- LspDiagnostics.cpp - Worker diagnostics as LSP diagnostics -------===//

#include "LspDiagnostics.h"
#include "Uri.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

namespace torch_tidy::lsp {

namespace {

enum Severity { SeverityError = 1, SeverityWarning = 2, SeverityInfo = 3 };

nlohmann::json rangeJson(const std::string &Text, size_t Begin, size_t End) {
  return {{"start", positionToJson(positionOf(Text, Begin))},
          {"end", positionToJson(positionOf(Text, End))}};
}

/// The token at \p Offset: an identifier, else one character; empty at a
/// line's end.
nlohmann::json tokenRange(const std::string &Text, size_t Offset) {
  Offset = std::min(Offset, Text.size());
  size_t End = Offset;
  while (End < Text.size() && (llvm::isAlnum(Text[End]) || Text[End] == '_'))
    ++End;
  if (End == Offset && End < Text.size() && Text[End] != '\n' &&
      Text[End] != '\r')
    ++End;
  return rangeJson(Text, Offset, End);
}

size_t readSize(const nlohmann::json &Object, const char *Key) {
  auto It = Object.find(Key);
  return It != Object.end() && It->is_number_unsigned() ? It->get<size_t>() : 0;
}

std::string readString(const nlohmann::json &Object, const char *Key) {
  auto It = Object.find(Key);
  return It != Object.end() && It->is_string() ? It->get<std::string>() : "";
}

std::vector<ByteEdit> readEdits(const nlohmann::json &Fixes) {
  std::vector<ByteEdit> Edits;
  if (!Fixes.is_array())
    return Edits;
  for (const nlohmann::json &Fix : Fixes)
    if (Fix.is_object())
      Edits.push_back({readString(Fix, "file"), readSize(Fix, "offset"),
                       readSize(Fix, "length"), readString(Fix, "text")});
  return Edits;
}

/// "Insert '.detach()'", "Replace 'x' with 'y'": what the fix does, in the
/// words of its one edit, or \p Otherwise.
std::string fixTitle(const std::vector<ByteEdit> &Edits, FileTexts &Texts,
                     const std::string &Otherwise) {
  auto Quoted = [](llvm::StringRef S) {
    std::string Flat = S.trim().str();
    std::replace(Flat.begin(), Flat.end(), '\n', ' ');
    if (Flat.size() > 40)
      Flat = Flat.substr(0, 37) + "...";
    return "'" + Flat + "'";
  };
  if (Edits.size() != 1)
    return Otherwise;
  const ByteEdit &E = Edits.front();
  llvm::StringRef Old =
      llvm::StringRef(Texts.textOf(E.File)).substr(E.Offset, E.Length);
  if (E.Length == 0)
    return "Insert " + Quoted(E.Text);
  if (E.Text.empty())
    return "Remove " + Quoted(Old);
  return "Replace " + Quoted(Old) + " with " + Quoted(E.Text);
}

} // namespace

const std::string &FileTexts::textOf(const std::string &File) {
  if (File == MainFile)
    return MainText;
  auto It = Others.find(File);
  if (It != Others.end())
    return It->second;
  auto Buffer = llvm::MemoryBuffer::getFile(File, /*IsText=*/true);
  return Others[File] = Buffer ? (*Buffer)->getBuffer().str() : "";
}

std::vector<StoredDiagnostic>
convertDiagnostics(const nlohmann::json &WorkerDiagnostics,
                   const std::string &File, const std::string &Text,
                   const std::string &RuleDocsBase) {
  std::vector<StoredDiagnostic> Result;
  FileTexts Texts(File, Text);
  bool CompilerErrorShown = false;
  for (const nlohmann::json &D : WorkerDiagnostics) {
    if (!D.is_object() || readString(D, "file") != File)
      continue;
    std::string Rule = readString(D, "rule");
    std::string Level = readString(D, "level");
    size_t Offset = readSize(D, "offset");
    StoredDiagnostic Stored;
    Stored.Offset = Offset;
    nlohmann::json &Lsp = Stored.Lsp;
    Lsp["range"] = tokenRange(Text, Offset);
    Lsp["source"] = "torch-tidy";
    if (llvm::StringRef(Rule).starts_with("clang-diagnostic-")) {
      if (Level != "error" || CompilerErrorShown)
        continue;
      CompilerErrorShown = true;
      Lsp["severity"] = SeverityInfo;
      Lsp["message"] = "this file does not compile, so torch-tidy's findings "
                       "may be incomplete; the compiler says: " +
                       readString(D, "message");
      Result.push_back(std::move(Stored));
      continue;
    }
    Stored.Rule = Rule;
    Lsp["severity"] = Level == "error" ? SeverityError : SeverityWarning;
    Lsp["code"] = Rule;
    if (!RuleDocsBase.empty() && llvm::StringRef(Rule).starts_with("torch-"))
      Lsp["codeDescription"] = {{"href", RuleDocsBase + Rule + ".md"}};
    Lsp["message"] = readString(D, "message");
    nlohmann::json Related = nlohmann::json::array();
    const nlohmann::json &Notes = D.contains("notes") && D["notes"].is_array()
                                      ? D["notes"]
                                      : nlohmann::json::array();
    for (const nlohmann::json &Note : Notes) {
      if (!Note.is_object())
        continue;
      std::string NoteFile = readString(Note, "file");
      if (!NoteFile.empty())
        Related.push_back({{"location",
                            {{"uri", uriFromPath(NoteFile)},
                             {"range", tokenRange(Texts.textOf(NoteFile),
                                                  readSize(Note, "offset"))}}},
                           {"message", readString(Note, "message")}});
      std::vector<ByteEdit> NoteEdits =
          readEdits(Note.value("fixes", nlohmann::json::array()));
      if (!NoteEdits.empty())
        Stored.Fixes.push_back(
            {fixTitle(NoteEdits, Texts, readString(Note, "message")),
             std::move(NoteEdits), false});
    }
    if (!Related.empty())
      Lsp["relatedInformation"] = std::move(Related);
    std::vector<ByteEdit> Edits =
        readEdits(D.value("fixes", nlohmann::json::array()));
    if (!Edits.empty())
      Stored.Fixes.insert(
          Stored.Fixes.begin(),
          QuickFix{fixTitle(Edits, Texts, "Apply torch-tidy's fix"),
                   std::move(Edits), true});
    Result.push_back(std::move(Stored));
  }
  return Result;
}

StoredDiagnostic serverDiagnostic(const std::string &Message, int Severity) {
  StoredDiagnostic Stored;
  Stored.Lsp = {{"range",
                 {{"start", {{"line", 0}, {"character", 0}}},
                  {"end", {{"line", 0}, {"character", 0}}}}},
                {"severity", Severity},
                {"source", "torch-tidy"},
                {"message", Message}};
  return Stored;
}

ByteEdit nolintEdit(const std::string &File, const std::string &Text,
                    size_t Offset, const std::string &Rule) {
  Offset = std::min(Offset, Text.size());
  size_t LineStart = Text.rfind('\n', Offset == 0 ? 0 : Offset - 1);
  LineStart =
      (LineStart == std::string::npos || Offset == 0) ? 0 : LineStart + 1;
  size_t LineEnd = Text.find('\n', Offset);
  if (LineEnd == std::string::npos)
    LineEnd = Text.size();
  if (LineEnd > LineStart && Text[LineEnd - 1] == '\r')
    --LineEnd;
  llvm::StringRef Line = llvm::StringRef(Text).slice(LineStart, LineEnd);
  size_t List = Line.find("NOLINT(");
  if (List != llvm::StringRef::npos) {
    size_t Close = Line.find(')', List);
    if (Close != llvm::StringRef::npos)
      return {File, LineStart + Close, 0, "," + Rule};
  }
  return {File, LineEnd, 0, " // NOLINT(" + Rule + ")"};
}

nlohmann::json textEdit(const std::string &Text, const ByteEdit &Edit) {
  size_t Begin = std::min(Edit.Offset, Text.size());
  size_t End = std::min(Begin + Edit.Length, Text.size());
  return {{"range", rangeJson(Text, Begin, End)}, {"newText", Edit.Text}};
}

} // namespace torch_tidy::lsp
