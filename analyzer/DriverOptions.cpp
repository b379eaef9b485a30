//===--- DriverOptions.cpp - torch-tidy's command-line options ------------===//

#include "DriverOptions.h"
#include "HeaderCache.h"
#include "RuleCatalog.h"
#include "TorchTidyRules/LoopNoteOptions.h"
#include "TorchTidyRules/ProjectSummaries.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Threading.h"

namespace cl = llvm::cl;
using namespace clang::tidy;

namespace torch_tidy {

cl::OptionCategory &driverOptionCategory() {
  static cl::OptionCategory Category("torch-tidy options");
  return Category;
}

namespace {

// cl::desc keeps a reference to its text: the text must outlive the option.
const std::string ChecksHelp =
    "Comma-separated globs of checks, as in clang-tidy; applied on top of "
    ".clang-tidy files. Default: " +
    defaultChecksGlob();
cl::opt<std::string> Checks("checks", cl::desc(ChecksHelp), cl::init(""),
                            cl::cat(driverOptionCategory()));
cl::opt<std::string> Config(
    "config",
    cl::desc("Configuration in YAML/JSON, as in a .clang-tidy file; replaces "
             ".clang-tidy discovery"),
    cl::init(""), cl::cat(driverOptionCategory()));
cl::opt<std::string> ConfigFile(
    "config-file",
    cl::desc("Read the configuration from this file instead of discovering "
             ".clang-tidy files"),
    cl::value_desc("file"), cl::init(""), cl::cat(driverOptionCategory()));
cl::opt<std::string> HeaderFilter(
    "header-filter",
    cl::desc("Regular expression of headers whose findings are shown; the "
             "main file's always are"),
    cl::init(""), cl::cat(driverOptionCategory()));
cl::opt<std::string> ExcludeHeaderFilter(
    "exclude-header-filter",
    cl::desc("Regular expression of headers whose findings are not shown"),
    cl::init(""), cl::cat(driverOptionCategory()));
cl::opt<std::string> LineFilter(
    "line-filter",
    cl::desc("JSON list of files and line ranges to report, as in "
             "clang-tidy: [{\"name\":\"file.cpp\",\"lines\":[[1,3]]}]"),
    cl::init(""), cl::cat(driverOptionCategory()));
cl::opt<std::string> WarningsAsErrors(
    "warnings-as-errors",
    cl::desc("Globs of checks whose findings are errors"), cl::init(""),
    cl::cat(driverOptionCategory()));
cl::opt<std::string> Format(
    "format",
    cl::desc("Output format: clang (default), json, sarif, github, gitlab"),
    cl::init("clang"), cl::cat(driverOptionCategory()));
cl::opt<std::string> Output(
    "output", cl::desc("Write the report to this file (not with clang)"),
    cl::value_desc("file"), cl::init(""), cl::cat(driverOptionCategory()));
cl::opt<std::string> SourceRoot(
    "source-root",
    cl::desc("Directory that sarif, github and gitlab paths are relative "
             "to. Default: the current directory"),
    cl::init(""), cl::cat(driverOptionCategory()));
cl::opt<unsigned> Jobs(
    "j",
    cl::desc("Analyse this many files at once. Default: the number of cores"),
    cl::init(0), cl::cat(driverOptionCategory()));
cl::opt<unsigned> Timeout(
    "timeout",
    cl::desc("Stop analysing a file after this many seconds (0: no limit)"),
    cl::init(0), cl::cat(driverOptionCategory()));
cl::opt<std::string> Shard(
    "shard",
    cl::desc("I/N: analyse only the I-th of N deterministic slices of the "
             "files (1-based), for CI matrices; see torch-tidy merge"),
    cl::init(""), cl::cat(driverOptionCategory()));
cl::opt<std::string> FailOn(
    "fail-on",
    cl::desc("Exit 1 on findings that are errors (error, default) or on any "
             "finding (warning)"),
    cl::init("error"), cl::cat(driverOptionCategory()));
cl::opt<bool> Fix("fix", cl::desc("Apply the suggested fix-its"),
                  cl::init(false), cl::cat(driverOptionCategory()));
cl::opt<bool> FixErrors(
    "fix-errors",
    cl::desc("Apply fix-its even when a file has compiler errors"),
    cl::init(false), cl::cat(driverOptionCategory()));
cl::opt<std::string> ExportFixes(
    "export-fixes",
    cl::desc("Write the fix-its as YAML for clang-apply-replacements"),
    cl::value_desc("file"), cl::init(""), cl::cat(driverOptionCategory()));
cl::opt<bool> Instrument(
    "instrument",
    cl::desc("Insert the runtime probe's TORCH_TIDY_ITERATION(); first in "
             "the body of each loop that has a finding, and #include "
             "\"torch_tidy/probe.h\"; edits the files in place. Reports "
             "then give the instrumented files' positions"),
    cl::init(false), cl::cat(driverOptionCategory()));
cl::opt<std::string> InstrumentDir(
    "instrument-dir",
    cl::desc("With --instrument (implied): write instrumented copies under "
             "this directory, at their paths relative to --source-root (or "
             "to the files' common directory), and leave the sources alone"),
    cl::value_desc("dir"), cl::init(""), cl::cat(driverOptionCategory()));
cl::opt<bool> Quiet("quiet", cl::desc("No progress or summary lines"),
                    cl::init(false), cl::cat(driverOptionCategory()));
cl::opt<bool> ListChecks("list-checks",
                         cl::desc("List the enabled checks and exit"),
                         cl::init(false), cl::cat(driverOptionCategory()));
cl::opt<bool> DumpConfig(
    "dump-config",
    cl::desc("Print the effective configuration as YAML and exit"),
    cl::init(false), cl::cat(driverOptionCategory()));
cl::opt<bool> ExplainConfig(
    "explain-config",
    cl::desc("For each enabled check, say where it was enabled and exit"),
    cl::init(false), cl::cat(driverOptionCategory()));
cl::opt<std::string> CacheDir(
    "cache-dir",
    cl::desc("Directory of the header cache (precompiled system headers). "
             "Default: $XDG_CACHE_HOME/torch-tidy or ~/.cache/torch-tidy"),
    cl::value_desc("dir"), cl::init(""), cl::cat(driverOptionCategory()));
cl::opt<bool> NoCache("no-cache",
                      cl::desc("Parse every header anew; read and write no "
                               "header cache"),
                      cl::init(false), cl::cat(driverOptionCategory()));
cl::opt<bool> NoProject(
    "no-project",
    cl::desc("Judge each file alone, as clang-tidy does: do not summarise "
             "the other files of the compile database first"),
    cl::init(false), cl::cat(driverOptionCategory()));
cl::opt<std::string> ProjectSummaries(
    "project-summaries",
    cl::desc("Read the project's function summaries from this file (written "
             "by torch-tidy summarize) instead of making them"),
    cl::value_desc("file"), cl::init(""), cl::cat(driverOptionCategory()));
cl::opt<bool> CacheLog(
    "cache-log", cl::desc("Say what the header cache did for each file"),
    cl::Hidden, cl::init(false), cl::cat(driverOptionCategory()));
cl::opt<bool> TraverseAllDecls(
    "traverse-all-decls",
    cl::desc("Let the matchers visit every declaration, system headers "
             "included (slower; for measuring)"),
    cl::Hidden, cl::init(false), cl::cat(driverOptionCategory()));
cl::opt<std::string> WorkerFile("worker-file", cl::Hidden, cl::init(""),
                                cl::cat(driverOptionCategory()));
cl::opt<std::string> WorkerOutput("worker-output", cl::Hidden, cl::init(""),
                                  cl::cat(driverOptionCategory()));
cl::opt<bool> WorkerSummaries("worker-summaries", cl::Hidden, cl::init(false),
                              cl::cat(driverOptionCategory()));

/// One of clang-tidy's options providers that parses the .clang-tidy files
/// it discovers through \p FileErrors.
template <typename Provider> class ProviderKeepingErrors : public Provider {
public:
  template <typename... Arguments>
  ProviderKeepingErrors(std::shared_ptr<ConfigFileErrors> FileErrors,
                        Arguments &&...Args)
      : Provider(std::forward<Arguments>(Args)...) {
    this->ConfigHandlers.assign(
        1, {".clang-tidy", [FileErrors](llvm::MemoryBufferRef Config) {
              return FileErrors->parse(Config);
            }});
  }
};

bool parseShard(const std::string &Text, unsigned &Index, unsigned &Count) {
  unsigned I = 0, N = 0;
  char Slash = 0, Extra = 0;
  if (std::sscanf(Text.c_str(), "%u%c%u%c", &I, &Slash, &N, &Extra) != 3 ||
      Slash != '/' || N == 0 || I == 0 || I > N)
    return false;
  Index = I - 1;
  Count = N;
  return true;
}

} // namespace

bool readDriverSettings(DriverSettings &Settings, std::string &Error) {
  std::optional<ReportFormat> ParsedFormat = parseReportFormat(Format);
  if (!ParsedFormat) {
    Error = "--format must be clang, json, sarif, github or gitlab, not '" +
            Format + "'";
    return false;
  }
  Settings.Format = *ParsedFormat;
  Settings.OutputPath = Output;
  // (A summary worker of `torch-tidy summarize` inherits its --output.)
  if (!Settings.OutputPath.empty() && Settings.Format == ReportFormat::Clang &&
      !Settings.SummarizeOnly && !WorkerSummaries) {
    Error = "--output needs --format=json, sarif, github or gitlab";
    return false;
  }
  llvm::SmallString<256> Root(SourceRoot.empty() ? "." : SourceRoot.c_str());
  llvm::sys::fs::make_absolute(Root);
  llvm::sys::path::remove_dots(Root, /*remove_dot_dot=*/true);
  Settings.SourceRoot = std::string(Root);
  Settings.SourceRootGiven = !SourceRoot.empty();
  Settings.Jobs = Jobs ? Jobs : llvm::hardware_concurrency().compute_thread_count();
  Settings.TimeoutSeconds = Timeout;
  if (!Shard.empty() &&
      !parseShard(Shard, Settings.ShardIndex, Settings.ShardCount)) {
    Error = "--shard must be I/N with 1 <= I <= N, not '" + Shard + "'";
    return false;
  }
  if (FailOn != "error" && FailOn != "warning") {
    Error = "--fail-on must be error or warning, not '" + FailOn + "'";
    return false;
  }
  Settings.FailOnWarning = FailOn == "warning";
  Settings.Fix = Fix || FixErrors;
  if (Settings.Fix && Settings.Format != ReportFormat::Clang &&
      Settings.OutputPath.empty()) {
    Error = "--fix prints what it fixed; with --format=" + Format +
            " give the report a file with --output";
    return false;
  }
  Settings.FixErrors = FixErrors;
  Settings.Instrument = Instrument || InstrumentDir.getNumOccurrences() > 0;
  if (Settings.Instrument && Settings.Fix) {
    Error = "--instrument cannot be combined with --fix: both edit the files";
    return false;
  }
  if (InstrumentDir.getNumOccurrences() > 0) {
    if (InstrumentDir.empty()) {
      Error = "--instrument-dir needs a directory";
      return false;
    }
    llvm::SmallString<256> Dir(InstrumentDir.getValue());
    llvm::sys::fs::make_absolute(Dir);
    llvm::sys::path::remove_dots(Dir, /*remove_dot_dot=*/true);
    Settings.InstrumentDir = std::string(Dir);
  }
  Settings.ExportFixesPath = ExportFixes;
  Settings.Quiet = Quiet;
  Settings.ListChecks = ListChecks;
  Settings.DumpConfig = DumpConfig;
  Settings.ExplainConfig = ExplainConfig;
  if (!NoCache) {
    // Relative to the directory torch-tidy runs in, once: the compiler's
    // working directory is each command's own.
    llvm::SmallString<256> Cache(
        CacheDir.empty() ? defaultHeaderCacheDirectory() : CacheDir.getValue());
    llvm::sys::fs::make_absolute(Cache);
    Settings.CacheDirectory = std::string(Cache);
  }
  Settings.TraverseAllDecls = TraverseAllDecls;
  Settings.CacheLog = CacheLog;
  Settings.Project = !NoProject;
  if (!ProjectSummaries.empty()) {
    llvm::SmallString<256> Summaries(ProjectSummaries.getValue());
    llvm::sys::fs::make_absolute(Summaries);
    Settings.ProjectSummariesPath = std::string(Summaries);
  }
  Settings.WorkerFile = WorkerFile;
  Settings.WorkerOutput = WorkerOutput;
  Settings.WorkerSummaries = WorkerSummaries;
  if (!Config.empty() && !ConfigFile.empty()) {
    Error = "--config and --config-file cannot be used together";
    return false;
  }
  return true;
}

std::unique_ptr<ClangTidyOptionsProvider>
makeOptionsProvider(const DriverSettings &Settings,
                    std::shared_ptr<ConfigFileErrors> FileErrors,
                    std::string &Error) {
  ClangTidyGlobalOptions GlobalOptions;
  if (std::error_code Problem = parseLineFilter(LineFilter, GlobalOptions)) {
    Error = "--line-filter: " + Problem.message();
    return nullptr;
  }

  ClangTidyOptions DefaultOptions = ClangTidyOptions::getDefaults();
  DefaultOptions.Checks = defaultChecksGlob();
  DefaultOptions.HeaderFilterRegex = "";
  // Findings that leave this process as JSON carry their loop's range.
  if (Settings.Format != ReportFormat::Clang || !Settings.WorkerOutput.empty())
    DefaultOptions.CheckOptions[clang::tidy::torch::LoopRangeOption] =
        ClangTidyOptions::ClangTidyValue("true");
  // --instrument needs each loop's body too.
  if (Settings.Instrument)
    DefaultOptions.CheckOptions[clang::tidy::torch::LoopBodyOption] =
        ClangTidyOptions::ClangTidyValue("true");

  ClangTidyOptions OverrideOptions;
  if (!Checks.empty())
    OverrideOptions.Checks = Checks;
  if (!HeaderFilter.empty())
    OverrideOptions.HeaderFilterRegex = HeaderFilter;
  if (!ExcludeHeaderFilter.empty())
    OverrideOptions.ExcludeHeaderFilterRegex = ExcludeHeaderFilter;
  if (!WarningsAsErrors.empty())
    OverrideOptions.WarningsAsErrors = WarningsAsErrors;
  // The project's summaries win over a path in a .clang-tidy file.
  if (!Settings.ProjectSummariesPath.empty())
    OverrideOptions.CheckOptions[clang::tidy::torch::ProjectSummariesOption] =
        ClangTidyOptions::ClangTidyValue(Settings.ProjectSummariesPath);

  std::string ConfigText = Config;
  std::string ConfigSource = "--config";
  if (!ConfigFile.empty()) {
    auto Buffer = llvm::MemoryBuffer::getFile(ConfigFile);
    if (!Buffer) {
      Error = ConfigFile + ": cannot read: " + Buffer.getError().message();
      return nullptr;
    }
    ConfigText = (*Buffer)->getBuffer().str();
    ConfigSource = ConfigFile;
  }
  if (!ConfigText.empty()) {
    std::optional<ClangTidyOptions> Parsed = parseConfigurationText(
        llvm::MemoryBufferRef(ConfigText, ConfigSource), Error);
    if (!Parsed)
      return nullptr;
    // With InheritParentConfig, .clang-tidy files are read too.
    return std::make_unique<ProviderKeepingErrors<ConfigOptionsProvider>>(
        std::move(FileErrors), std::move(GlobalOptions),
        ClangTidyOptions::getDefaults().merge(DefaultOptions, 0),
        std::move(*Parsed), std::move(OverrideOptions));
  }
  return std::make_unique<ProviderKeepingErrors<FileOptionsProvider>>(
      std::move(FileErrors), std::move(GlobalOptions),
      std::move(DefaultOptions), std::move(OverrideOptions));
}

} // namespace torch_tidy
