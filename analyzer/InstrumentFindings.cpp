//===--- InstrumentFindings.cpp - torch-tidy --instrument -----------------===//

#include "InstrumentFindings.h"
#include "AtomicFile.h"
#include "LoopInstrumentation.h"
#include "SourceLines.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <map>
#include <set>

namespace torch_tidy {

namespace {

/// A file whose loops were instrumented, and where it went.
struct InstrumentedFile {
  std::string Destination;
  LineTable Before;
  InstrumentedText After;
  LineTable AfterLines;

  SourcePosition map(const SourcePosition &P) const {
    return AfterLines.positionOf(After.mapOffset(Before.offsetOf(P)));
  }
  SourcePosition mapLast(const SourcePosition &P) const {
    return AfterLines.positionOf(After.mapLastOffset(Before.offsetOf(P)));
  }
};

bool isUnder(llvm::StringRef Path, llvm::StringRef Directory) {
  return Directory == "/" ||
         (Path.starts_with(Directory) && Path.size() > Directory.size() &&
          Path[Directory.size()] == '/');
}

/// The deepest directory that holds every one of \p Files.
std::string commonDirectory(const std::vector<std::string> &Files) {
  if (Files.empty())
    return "/";
  std::string Common = llvm::sys::path::parent_path(Files.front()).str();
  for (const std::string &File : Files)
    while (!Common.empty() && Common != "/" && !isUnder(File, Common))
      Common = llvm::sys::path::parent_path(Common).str();
  return Common.empty() ? "/" : Common;
}

/// Writes an instrumented file (its folder made first, for
/// --instrument-dir); false with the one-line problem.
bool writeFile(const std::string &Path, llvm::StringRef Text,
               std::string &Problem) {
  if (std::error_code Error = llvm::sys::fs::create_directories(
          llvm::sys::path::parent_path(Path))) {
    Problem = "cannot write '" + Path + "': " + Error.message();
    return false;
  }
  // Through a temporary file and a rename: an interrupted run leaves the
  // user's source as it was or instrumented, never half of it.
  return writeFileAtomically(Path, Text, Problem, Durability::Synced);
}

} // namespace

bool instrumentFindings(AnalysisResult &Result,
                        const DriverSettings &Settings) {
  std::set<std::string> WithErrors;
  for (const AnalysisError &Error : Result.Errors)
    WithErrors.insert(Error.File);
  // The loops, by the file that holds them.
  std::map<std::string, std::vector<const Finding *>> LoopsByFile;
  for (const Finding &F : Result.Findings) {
    if (!F.Loop)
      continue;
    if (!F.LoopBody) {
      llvm::errs() << "torch-tidy: " << F.Loop->File << ":"
                   << F.Loop->Begin.Line
                   << ": loop not instrumented: it comes from a macro\n";
      continue;
    }
    LoopsByFile[F.Loop->File].push_back(&F);
  }

  std::vector<std::string> Sources;
  for (const auto &[File, Loops] : LoopsByFile)
    if (!WithErrors.count(File))
      Sources.push_back(File);
  std::string Root =
      Settings.SourceRootGiven ? Settings.SourceRoot : commonDirectory(Sources);

  bool AllWritten = true;
  std::map<std::string, InstrumentedFile> Done;
  for (const auto &[File, Findings] : LoopsByFile) {
    if (WithErrors.count(File)) {
      // As with --fix: positions in a file that does not compile may be off.
      llvm::errs() << "torch-tidy: " << File
                   << ": not instrumented: it has compiler errors\n";
      continue;
    }
    std::string Destination = File;
    if (!Settings.InstrumentDir.empty()) {
      if (!isUnder(File, Root)) {
        llvm::errs() << "torch-tidy: " << File
                     << ": not instrumented: it is outside --source-root "
                     << Root << "\n";
        continue;
      }
      llvm::SmallString<256> Copy(Settings.InstrumentDir);
      llvm::sys::path::append(Copy, llvm::StringRef(File).drop_front(
                                        Root == "/" ? 1 : Root.size() + 1));
      Destination = std::string(Copy);
      if (Destination == File) {
        llvm::errs() << "torch-tidy: " << File
                     << ": not instrumented: its copy would replace it "
                        "(--instrument-dir is where the sources are)\n";
        continue;
      }
    }
    auto Buffer = llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!Buffer) {
      llvm::errs() << "torch-tidy: error: " << File
                   << ": cannot read: " << Buffer.getError().message() << "\n";
      AllWritten = false;
      continue;
    }
    llvm::StringRef Text = (*Buffer)->getBuffer();
    LineTable Before(Text);
    std::vector<LoopToInstrument> Loops;
    for (const Finding *F : Findings)
      Loops.push_back({Before.offsetOf(F->Loop->Begin),
                       Before.offsetOf(F->LoopBody->Begin),
                       Before.offsetOf(F->LoopBody->End) + 1});
    InstrumentedText After = instrumentLoops(Text, Loops);
    // In place, an unchanged file is not touched; a copy is always written,
    // so that the directory holds every file the findings name.
    std::string Problem;
    if ((After.changed() || Destination != File) &&
        !writeFile(Destination, After.text(), Problem)) {
      llvm::errs() << "torch-tidy: error: " << Problem << "\n";
      AllWritten = false;
      continue;
    }
    LineTable AfterLines(After.text());
    for (unsigned Marker : After.markers())
      llvm::errs() << "torch-tidy: marker added at " << Destination << ":"
                   << AfterLines.positionOf(Marker).Line << "\n";
    Done.emplace(File,
                 InstrumentedFile{Destination, std::move(Before),
                                  std::move(After), std::move(AfterLines)});
  }

  // Reports describe the files as they are now.
  for (Finding &F : Result.Findings) {
    if (auto It = Done.find(F.File); It != Done.end()) {
      F.Position = It->second.map(F.Position);
      F.File = It->second.Destination;
    }
    if (F.Loop)
      if (auto It = Done.find(F.Loop->File); It != Done.end()) {
        F.Loop->Begin = It->second.map(F.Loop->Begin);
        // A loop without braces ends before its ';'; it now ends with the
        // '}' added after that ';'.
        SourcePosition End = F.Loop->End;
        if (F.LoopBody &&
            std::make_pair(F.LoopBody->End.Line, F.LoopBody->End.Column) >
                std::make_pair(End.Line, End.Column))
          End = F.LoopBody->End;
        F.Loop->End = It->second.mapLast(End);
        F.Loop->File = It->second.Destination;
      }
    F.LoopBody.reset();
  }
  return AllWritten;
}

} // namespace torch_tidy
