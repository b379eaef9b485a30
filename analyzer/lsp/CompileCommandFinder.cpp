//===--- CompileCommandFinder.cpp - A file's command, as clangd finds it --===//

#include "CompileCommandFinder.h"

#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace path = llvm::sys::path;

namespace torch_tidy::lsp {

const clang::tooling::CompilationDatabase *
CompileCommandFinder::load(const std::string &Path, std::string &Problem) {
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(Path, Status) ||
      !llvm::sys::fs::is_regular_file(Status)) {
    Databases.erase(Path);
    return nullptr;
  }
  auto It = Databases.find(Path);
  if (It != Databases.end() &&
      It->second.Modified == Status.getLastModificationTime()) {
    Problem = It->second.Problem;
    return It->second.Database.get();
  }
  Loaded Entry;
  Entry.Modified = Status.getLastModificationTime();
  std::string Error;
  if (path::filename(Path) == "compile_flags.txt") {
    Entry.Database =
        clang::tooling::FixedCompilationDatabase::loadFromFile(Path, Error);
  } else {
    auto Json = clang::tooling::JSONCompilationDatabase::loadFromFile(
        Path, Error, clang::tooling::JSONCommandLineSyntax::AutoDetect);
    if (Json)
      Entry.Database =
          clang::tooling::inferMissingCompileCommands(std::move(Json));
  }
  if (!Entry.Database)
    Entry.Problem = Path + " cannot be read: " +
                    llvm::StringRef(Error).split('\n').first.str();
  Problem = Entry.Problem;
  auto &Stored = Databases[Path] = std::move(Entry);
  return Stored.Database.get();
}

std::optional<clang::tooling::CompileCommand>
CompileCommandFinder::find(llvm::StringRef File, std::string &Why,
                           std::string *ProjectDirectory) {
  if (ProjectDirectory)
    ProjectDirectory->clear();
  std::vector<std::string> Candidates;
  if (!FixedDirectory.empty()) {
    llvm::SmallString<256> Json(FixedDirectory);
    path::append(Json, "compile_commands.json");
    Candidates.push_back(std::string(Json));
  } else {
    for (llvm::StringRef Dir = path::parent_path(File); !Dir.empty();
         Dir = path::parent_path(Dir)) {
      for (const char *Sub : {"", "build"}) {
        llvm::SmallString<256> Json(Dir);
        path::append(Json, Sub, "compile_commands.json");
        Candidates.push_back(std::string(Json));
      }
      llvm::SmallString<256> Flags(Dir);
      path::append(Flags, "compile_flags.txt");
      Candidates.push_back(std::string(Flags));
    }
  }
  for (const std::string &Candidate : Candidates) {
    std::string Problem;
    const clang::tooling::CompilationDatabase *Database =
        load(Candidate, Problem);
    if (!Problem.empty()) {
      Why = Problem;
      return std::nullopt;
    }
    if (!Database)
      continue;
    std::vector<clang::tooling::CompileCommand> Commands =
        Database->getCompileCommands(File);
    if (Commands.empty()) {
      Why = "torch-tidy found no compile command for this file in " + Candidate;
      return std::nullopt;
    }
    if (ProjectDirectory &&
        path::filename(Candidate) == "compile_commands.json" &&
        Database->getAllFiles().size() > 1)
      *ProjectDirectory = path::parent_path(Candidate).str();
    return Commands.front();
  }
  Why = FixedDirectory.empty()
            ? "torch-tidy found no compile_commands.json (nor build/"
              "compile_commands.json, nor compile_flags.txt) in this file's "
              "directory or its parents, so it cannot analyse the file: "
              "configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON or start "
              "the server with --compile-commands-dir=DIR"
            : "torch-tidy found no compile_commands.json in " + FixedDirectory +
                  " (--compile-commands-dir)";
  return std::nullopt;
}

} // namespace torch_tidy::lsp
