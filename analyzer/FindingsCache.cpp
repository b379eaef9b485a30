//===--- FindingsCache.cpp - Findings of files that did not change --------===//

#include "FindingsCache.h"
#include "AdjustedCompilations.h"
#include "AtomicFile.h"
#include "ContentDigest.h"
#include "ProjectAnalysis.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <nlohmann/json.hpp>

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace torch_tidy {

/// Bumped when an entry's layout or what it is keyed by changes.
constexpr int FindingsEntryVersion = 1;

FindingsCache::FindingsCache(
    const DriverSettings &Settings,
    std::unique_ptr<clang::tooling::CompilationDatabase> Compilations,
    clang::tidy::ClangTidyOptionsProvider &Options,
    std::shared_ptr<const clang::tidy::torch::ProjectSummaries> Project)
    : Settings(Settings), Compilations(std::move(Compilations)),
      Options(Options), Project(std::move(Project)) {
  // The clang-tidy options are in each file's configuration; these are the
  // rest of what a worker's report depends on.
  llvm::raw_string_ostream Out(RunKey);
  Out << "instrument " << Settings.Instrument << "\nfix-errors "
      << Settings.FixErrors << "\ntraverse-all " << Settings.TraverseAllDecls
      << "\n";
  for (const clang::tidy::FileFilter &Filter :
       Options.getGlobalOptions().LineFilter) {
    Out << "line-filter " << Filter.Name;
    for (const auto &[First, Last] : Filter.LineRanges)
      Out << " " << First << "-" << Last;
    Out << "\n";
  }
}

FindingsCache::Key FindingsCache::keyOf(const std::string &File) {
  Key K;
  // As the summary cache knows it: absolute, without dots.
  llvm::SmallString<256> Absolute(File);
  fs::make_absolute(Absolute);
  path::remove_dots(Absolute, /*remove_dot_dot=*/true);
  K.AbsoluteFile = std::string(Absolute);
  std::vector<clang::tooling::CompileCommand> Commands =
      Compilations->getCompileCommands(K.AbsoluteFile);
  if (Settings.CacheDirectory.empty() || Commands.empty())
    return K;
  K.Command = Commands.front();
  std::string Text = toolIdentity() + "\nfindings " +
                     std::to_string(FindingsEntryVersion) + "\n" +
                     K.AbsoluteFile + "\n" + K.Command->Directory + "\n";
  for (const std::string &Arg : K.Command->CommandLine)
    Text += Arg + "\n";
  Text += RunKey;
  Text += clang::tidy::configurationAsText(Options.getOptions(File));
  llvm::SmallString<256> Entry(Settings.CacheDirectory);
  path::append(Entry, "findings", contentDigest(Text) + ".json");
  K.EntryPath = std::string(Entry);
  return K;
}

std::string FindingsCache::viewDigest(
    const clang::tidy::torch::ProjectQuestions &Questions) const {
  if (!Project)
    return contentDigest("");
  return contentDigest(
      Project->viewJson(Questions.SummariesRead, Questions.CallersRead));
}

namespace {

std::vector<std::string> stringsOf(const nlohmann::json &List) {
  std::vector<std::string> Strings;
  if (List.is_array())
    for (const nlohmann::json &Item : List)
      if (Item.is_string())
        Strings.push_back(Item.get<std::string>());
  return Strings;
}

/// The questions of a worker's report or of a cache entry.
clang::tidy::torch::ProjectQuestions questionsOf(const nlohmann::json &Json) {
  if (!Json.is_object())
    return {};
  return {stringsOf(Json.value("summaries_read", nlohmann::json())),
          stringsOf(Json.value("callers_read", nlohmann::json()))};
}

} // namespace

nlohmann::json
projectQuestionsJson(const clang::tidy::torch::ProjectQuestions &Questions) {
  return {{"summaries_read", Questions.SummariesRead},
          {"callers_read", Questions.CallersRead}};
}

std::optional<CachedFindings> FindingsCache::lookup(const std::string &File) {
  Key K = keyOf(File);
  if (K.EntryPath.empty())
    return std::nullopt;
  auto Buffer = llvm::MemoryBuffer::getFile(K.EntryPath);
  if (!Buffer)
    return std::nullopt;
  // An entry that cannot be read is only a miss: the file is analysed.
  nlohmann::json Entry = nlohmann::json::parse((*Buffer)->getBuffer().begin(),
                                               (*Buffer)->getBuffer().end(),
                                               nullptr, /*allow_exceptions=*/
                                               false);
  if (!Entry.is_object() || !Entry["inputs"].is_string() ||
      !Entry["questions"].is_object() || !Entry["view"].is_string() ||
      !Entry["report"].is_string() || !Entry["clang_output"].is_string())
    return std::nullopt;
  if (!inputsUnchanged(Entry["inputs"].get<std::string>()))
    return std::nullopt;
  if (viewDigest(questionsOf(Entry["questions"])) !=
      Entry["view"].get<std::string>())
    return std::nullopt;
  return CachedFindings{Entry["report"].get<std::string>(),
                        Entry["clang_output"].get<std::string>()};
}

void FindingsCache::store(const std::string &File,
                          const CachedFindings &Findings) {
  Key K = keyOf(File);
  if (K.EntryPath.empty())
    return;
  std::optional<std::string> Inputs =
      freshUnitInputs(Settings, K.AbsoluteFile, *K.Command);
  nlohmann::json Report = nlohmann::json::parse(Findings.Report, nullptr,
                                                /*allow_exceptions=*/false);
  if (!Inputs || !Report.is_object() || !Report["errors"].is_array() ||
      !Report["errors"].empty())
    return;
  clang::tidy::torch::ProjectQuestions Questions =
      questionsOf(Report["project_questions"]);
  nlohmann::json Entry = {{"inputs", *Inputs},
                          {"questions", projectQuestionsJson(Questions)},
                          {"view", viewDigest(Questions)},
                          {"report", Findings.Report},
                          {"clang_output", Findings.ClangOutput}};
  fs::create_directories(path::parent_path(K.EntryPath));
  // Made again by the next run when it cannot be written.
  std::string Ignored;
  writeFileAtomically(K.EntryPath, Entry.dump(), Ignored, Durability::Closed);
}

std::unique_ptr<FindingsCache>
findingsCacheFor(const DriverSettings &Settings,
                 const clang::tooling::CompilationDatabase *Compilations,
                 clang::tidy::ClangTidyOptionsProvider &Options) {
  if (!Compilations || Settings.CacheDirectory.empty() ||
      Settings.ProjectSummariesPath.empty())
    return nullptr;
  auto Project =
      clang::tidy::torch::ProjectSummaries::load(Settings.ProjectSummariesPath);
  if (!Project) {
    llvm::consumeError(Project.takeError());
    return nullptr;
  }
  return std::make_unique<FindingsCache>(
      Settings,
      makeAnalysisCompilations(*Compilations, TORCH_TIDY_CLANG_RESOURCE_DIR),
      Options, std::move(*Project));
}

} // namespace torch_tidy
