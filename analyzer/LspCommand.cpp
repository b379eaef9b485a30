//===--- LspCommand.cpp - `torch-tidy lsp` --------------------------------===//
//
// Reads the server's own options, checks the analysis options (they go to
// every worker), and runs the message loop until `exit` or the end of input.
//
//===----------------------------------------------------------------------===//

#include "LspCommand.h"
#include "AnalyzeCommand.h"
#include "DriverOptions.h"
#include "lsp/AnalysisWorker.h"
#include "lsp/Server.h"
#include "lsp/Transport.h"
#include "lsp/Uri.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>

namespace torch_tidy {

namespace {

const char Usage[] =
    "torch-tidy lsp: a language server (LSP 3.17) on standard input and "
    "output.\n\n"
    "  torch-tidy lsp [server options] [analysis options]\n\n"
    "Server options:\n"
    "  --compile-commands-dir=DIR  use DIR/compile_commands.json for every "
    "file\n"
    "                              (default: search each file's directory "
    "and its\n"
    "                              parents, and their build/, as clangd "
    "does)\n"
    "  --rule-docs-url=URL         link each finding to URL<rule>.md "
    "(default: the\n"
    "                              installed docs/rules/, as a file:// "
    "URL)\n"
    "  --debounce-ms=N             analyse N ms after the last edit "
    "(default 100)\n"
    "  --timeout=S                 stop an analysis after S seconds "
    "(default 300)\n"
    "  --progress-after-ms=N       report progress when the header cache "
    "works\n"
    "                              longer than N ms (default 1000)\n\n"
    "Analysis options are those of `torch-tidy --help` (--checks, --config,\n"
    "--config-file, --header-filter, --cache-dir, --no-cache, ...). All\n"
    "options take their value as --name=value.\n";

int usageError(const std::string &Message) {
  llvm::errs() << "torch-tidy lsp: error: " << Message << "\n";
  return ExitUsageError;
}

bool readUnsigned(llvm::StringRef Value, unsigned &Out) {
  return !Value.getAsInteger(10, Out);
}

/// The directory of rule pages next to the installed program
/// (<prefix>/share/doc/torch-tidy/rules/), else the source tree's, as a
/// file:// URL prefix; "" when neither exists.
std::string defaultRuleDocsBase(const std::string &Executable) {
  llvm::SmallString<256> Installed(
      llvm::sys::path::parent_path(llvm::sys::path::parent_path(Executable)));
  llvm::sys::path::append(Installed, "share", "doc", "torch-tidy", "rules");
  for (llvm::StringRef Dir :
       {llvm::StringRef(Installed), llvm::StringRef(TORCH_TIDY_RULE_DOCS_DIR)})
    if (llvm::sys::fs::is_directory(Dir))
      return lsp::uriFromPath(Dir) + "/";
  return "";
}

} // namespace

int runLspCommand(const char *Program, int Argc, const char **Argv) {
  static int Anchor;
  std::string Executable = llvm::sys::fs::getMainExecutable(Program, &Anchor);
  if (Argc > 1 && llvm::StringRef(Argv[1]) == "--worker") {
    // The worker parses the analysis options itself: pass them on without
    // "lsp" and "--worker".
    std::vector<const char *> WorkerArgv{Program};
    WorkerArgv.insert(WorkerArgv.end(), Argv + 2, Argv + Argc);
    return lsp::runAnalysisWorker(static_cast<int>(WorkerArgv.size()),
                                  WorkerArgv.data());
  }

  lsp::ServerOptions Options;
  Options.WorkerExecutable = Executable;
  Options.SummarizeExecutable = Executable;
  Options.WorkerArguments = {"lsp", "--worker"};
  Options.RuleDocsBase = defaultRuleDocsBase(Executable);
  std::vector<const char *> AnalysisArgv{Program};
  for (int I = 1; I < Argc; ++I) {
    llvm::StringRef Arg = Argv[I];
    if (Arg == "--help" || Arg == "-help" || Arg == "-h") {
      llvm::outs() << Usage;
      return ExitSuccess;
    }
    auto [Name, Value] = Arg.split('=');
    if (Name == "--compile-commands-dir") {
      llvm::SmallString<256> Dir(Value);
      llvm::sys::fs::make_absolute(Dir);
      if (!llvm::sys::fs::is_directory(Dir))
        return usageError("--compile-commands-dir " + Value.str() +
                          ": not a directory");
      Options.CompileCommandsDir = std::string(Dir);
    } else if (Name == "--rule-docs-url") {
      Options.RuleDocsBase = Value.str();
    } else if (Name == "--debounce-ms") {
      if (!readUnsigned(Value, Options.DebounceMs))
        return usageError("--debounce-ms must be a number, not '" +
                          Value.str() + "'");
    } else if (Name == "--timeout") {
      if (!readUnsigned(Value, Options.TimeoutSeconds))
        return usageError("--timeout must be a number of seconds, not '" +
                          Value.str() + "'");
    } else if (Name == "--progress-after-ms") {
      if (!readUnsigned(Value, Options.ProgressAfterMs))
        return usageError("--progress-after-ms must be a number, not '" +
                          Value.str() + "'");
    } else if (Name == "--worker-executable") {
      // Hidden: a wrapper around the worker (tests, debuggers).
      Options.WorkerExecutable = Value.str();
    } else if (Arg.starts_with("-")) {
      AnalysisArgv.push_back(Argv[I]);
      Options.WorkerArguments.push_back(Arg.str());
    } else {
      return usageError("unexpected argument '" + Arg.str() +
                        "': options take their value as --name=value, and "
                        "the editor names the files");
    }
  }
  // Bad analysis options fail now, not in every worker.
  std::string ParseErrors;
  llvm::raw_string_ostream ParseErrorStream(ParseErrors);
  if (!llvm::cl::ParseCommandLineOptions(static_cast<int>(AnalysisArgv.size()),
                                         AnalysisArgv.data(), "",
                                         &ParseErrorStream)) {
    // LLVM's message spans lines and points at the analyze command's help.
    llvm::StringRef First = llvm::StringRef(ParseErrors).split('\n').first;
    size_t Quote = First.find('\'');
    if (First.contains("Unknown command line argument") &&
        Quote != llvm::StringRef::npos)
      return usageError("unknown option " +
                        First.drop_front(Quote)
                            .take_until([](char C) { return C == ' '; })
                            .rtrim('.')
                            .str() +
                        " (torch-tidy lsp --help lists the options)");
    return usageError(First.trim().str());
  }
  DriverSettings Settings;
  std::string Problem;
  if (!readDriverSettings(Settings, Problem) ||
      !makeOptionsProvider(Settings, std::make_shared<ConfigFileErrors>(),
                           Problem))
    return usageError(Problem);

  // A client that goes away must not kill the server mid-write.
  std::signal(SIGPIPE, SIG_IGN);
  lsp::MessageWriter Writer(stdout);
  lsp::MessageReader Reader(lsp::readFromStream(stdin));
  lsp::Server Server(std::move(Options), Writer);
  while (Server.handle(Reader.next())) {
  }
  return Server.exitCode();
}

} // namespace torch_tidy
