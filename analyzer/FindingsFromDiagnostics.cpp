//===--- FindingsFromDiagnostics.cpp - clang-tidy errors to findings ------===//

#include "FindingsFromDiagnostics.h"
#include "SourceLines.h"

#include "TorchTidyRules/IncludedFindings.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

namespace torch_tidy {

namespace {

/// Paths in diagnostics are relative to the compile command's directory.
std::string absolutePath(llvm::StringRef Path, llvm::StringRef BuildDirectory) {
  llvm::SmallString<256> Absolute(Path);
  if (!BuildDirectory.empty())
    llvm::sys::fs::make_absolute(BuildDirectory, Absolute);
  llvm::sys::fs::make_absolute(Absolute);
  llvm::sys::path::remove_dots(Absolute, /*remove_dot_dot=*/true);
  return std::string(Absolute);
}

/// The id hashes what the finding is about, not where it is: the rule, the
/// file's name, the flagged line's text without blanks and which occurrence
/// of that text it is. Adding lines above a finding leaves it unchanged.
std::string stableId(const std::string &Rule, const std::string &File,
                     const std::string &LineText, unsigned Occurrence) {
  std::string Key = Rule + '\0' + llvm::sys::path::filename(File).str() + '\0';
  for (char C : LineText)
    if (!llvm::isSpace(C))
      Key += C;
  Key += '\0' + std::to_string(Occurrence);
  return llvm::utohexstr(llvm::xxh3_64bits(Key), /*LowerCase=*/true, 16);
}

} // namespace

AnalysisResult
collectFindings(llvm::ArrayRef<clang::tidy::ClangTidyError> Diagnostics) {
  AnalysisResult Result;
  SourceLines Lines;
  llvm::StringMap<unsigned> Occurrences;
  for (const clang::tidy::ClangTidyError &Diagnostic : Diagnostics) {
    const clang::tooling::DiagnosticMessage &Message = Diagnostic.Message;
    std::string File =
        Message.FilePath.empty()
            ? ""
            : absolutePath(Message.FilePath, Diagnostic.BuildDirectory);
    SourcePosition Position =
        File.empty() ? SourcePosition{}
                     : Lines.positionOf(File, Message.FileOffset);
    if (Diagnostic.DiagLevel == clang::tooling::Diagnostic::Level::Error) {
      if (llvm::StringRef(Diagnostic.DiagnosticName)
              .starts_with("clang-diagnostic-")) {
        Result.Errors.push_back({File, Position, Message.Message});
        continue;
      }
    }
    if (!llvm::StringRef(Diagnostic.DiagnosticName).starts_with("torch-"))
      continue;

    Finding F;
    F.Rule = Diagnostic.DiagnosticName;
    F.Severity = Diagnostic.DiagLevel ==
                             clang::tooling::Diagnostic::Level::Error ||
                         Diagnostic.IsWarningAsError
                     ? "error"
                     : "warning";
    F.File = File;
    F.Position = Position;
    F.Message = Message.Message;
    // Notes that report another check's finding as part of this one.
    for (const clang::tooling::DiagnosticMessage &Note : Diagnostic.Notes)
      if (std::optional<llvm::StringRef> Rule =
              clang::tidy::torch::includedFindingRule(Note.Message);
          Rule && !Note.FilePath.empty()) {
        std::string NoteFile =
            absolutePath(Note.FilePath, Diagnostic.BuildDirectory);
        F.Includes.push_back({Rule->str(), NoteFile,
                              Lines.positionOf(NoteFile, Note.FileOffset)});
      }
    // The note that carries a source range is the loop the finding is about.
    for (const clang::tooling::DiagnosticMessage &Note : Diagnostic.Notes) {
      if (Note.Ranges.empty())
        continue;
      auto Span = [&](const clang::tooling::FileByteRange &Range) {
        std::string SpanFile =
            absolutePath(Range.FilePath, Diagnostic.BuildDirectory);
        unsigned Last =
            Range.FileOffset + (Range.Length ? Range.Length - 1 : 0);
        return SourceSpan{SpanFile,
                          Lines.positionOf(SpanFile, Range.FileOffset),
                          Lines.positionOf(SpanFile, Last)};
      };
      F.Loop = Span(Note.Ranges.front());
      // With TorchLoopBodyInNote, the second range is the loop's body.
      if (Note.Ranges.size() > 1 && Note.Ranges[1].Length > 0)
        F.LoopBody = Span(Note.Ranges[1]);
      break;
    }
    std::string LineText = Lines.lineText(File, Position.Line);
    unsigned Occurrence =
        Occurrences[F.Rule + '\0' + File + '\0' + LineText]++;
    F.Id = stableId(F.Rule, File, LineText, Occurrence);
    Result.Findings.push_back(std::move(F));
  }
  return Result;
}

std::string formatAnalysisError(const AnalysisError &Error) {
  std::string Location = Error.File;
  if (Error.Position.Line > 0)
    Location += ":" + std::to_string(Error.Position.Line) + ":" +
                std::to_string(Error.Position.Column);
  return Location + ": error: " + Error.Message;
}

} // namespace torch_tidy
