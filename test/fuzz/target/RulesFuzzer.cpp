//===--- RulesFuzzer.cpp - libFuzzer target over the torch- checks --------===//
//
// Each input is one C++ source file. Every torch- check, the off-by-default
// ones included, runs over it through clang-tidy's own machinery, as in the
// torch-tidy driver (with its UserCodeScope and JSON-mode loop ranges). The
// stub libtorch headers of test/rules/Inputs are read once and served from an
// in-memory file system; the C++ standard headers come from the real one. They
// are precompiled once at start-up (TORCH_TIDY_FUZZ_NO_PCH=1 parses them for
// every input instead).
//
//===----------------------------------------------------------------------===//

#include "TorchTidyRules/ModuleAnchor.h"
#include "UserCodeScope.h"

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "clang/Basic/FileManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace {

// Where the input and the stubs appear to the compiler.
constexpr llvm::StringLiteral InputPath = "/torch-tidy-fuzz/input.cpp";
constexpr llvm::StringLiteral StubRoot = "/torch-tidy-fuzz/Inputs";

/// Stub header path under StubRoot -> contents, read once at start-up.
std::map<std::string, std::string> &stubHeaders() {
  static std::map<std::string, std::string> Headers;
  return Headers;
}

void loadStubHeaders(llvm::StringRef Dir) {
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(Dir, EC), End;
       It != End && !EC; It.increment(EC)) {
    if (It->type() != llvm::sys::fs::file_type::regular_file)
      continue;
    auto Buffer = llvm::MemoryBuffer::getFile(It->path());
    if (!Buffer) {
      llvm::errs() << "torch-tidy-fuzz: cannot read " << It->path() << "\n";
      std::exit(1);
    }
    llvm::SmallString<256> Relative(It->path());
    llvm::sys::path::replace_path_prefix(Relative, Dir, StubRoot);
    stubHeaders()[std::string(Relative)] = (*Buffer)->getBuffer().str();
  }
  if (EC || stubHeaders().empty()) {
    llvm::errs() << "torch-tidy-fuzz: no stub headers in " << Dir << "\n";
    std::exit(1);
  }
}

/// clang-tidy's AST consumer for the one input file, behind the driver's
/// UserCodeScope, as torch-tidy runs it by default.
class TidyAction : public clang::ASTFrontendAction {
public:
  TidyAction(clang::tidy::ClangTidyASTConsumerFactory &Factory,
             const clang::tidy::ClangTidyContext &Context)
      : Factory(Factory), Context(Context) {}

  std::unique_ptr<clang::ASTConsumer>
  CreateASTConsumer(clang::CompilerInstance &Compiler,
                    llvm::StringRef File) override {
    std::unique_ptr<clang::ASTConsumer> Tidy =
        Factory.createASTConsumer(Compiler, File);
    const clang::tidy::ClangTidyOptions &Options = Context.getOptions();
    return torch_tidy::scopedToUserCode(
        std::move(Tidy), Compiler.getSourceManager(), Options.HeaderFilterRegex,
        Options.ExcludeHeaderFilterRegex);
  }

private:
  clang::tidy::ClangTidyASTConsumerFactory &Factory;
  const clang::tidy::ClangTidyContext &Context;
};

/// The input and the stub headers in memory over the real file system,
/// which holds the C++ standard headers.
llvm::IntrusiveRefCntPtr<clang::FileManager> makeFiles(llvm::StringRef Path,
                                                       llvm::StringRef Code) {
  llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> Memory(
      new llvm::vfs::InMemoryFileSystem());
  for (const auto &[Header, Contents] : stubHeaders())
    Memory->addFile(Header, 0, llvm::MemoryBuffer::getMemBuffer(Contents));
  if (!Path.empty())
    Memory->addFile(Path, 0, llvm::MemoryBuffer::getMemBufferCopy(Code, Path));
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> Overlay(
      new llvm::vfs::OverlayFileSystem(llvm::vfs::getRealFileSystem()));
  Overlay->pushOverlay(Memory);
  return new clang::FileManager(clang::FileSystemOptions(), Overlay);
}

std::vector<std::string> compilerArgs() {
  return {"clang-tool", "-std=c++17", "-resource-dir",
          TORCH_TIDY_CLANG_RESOURCE_DIR, "-I", std::string(StubRoot),
          // Errors must not stop the parse early.
          "-ferror-limit=0", "-fno-caret-diagnostics"};
}

/// Path of a precompiled header of the stubs and the standard headers they
/// include, or empty. Parsing them is most of the time of one input; the
/// driver's header cache (analyzer/HeaderCache) takes the same shortcut.
std::string &prefixPch() {
  static std::string Path;
  return Path;
}

void buildPrefixPch() {
  llvm::SmallString<128> Path;
  if (llvm::sys::fs::createTemporaryFile("torch-tidy-fuzz", "pch", Path))
    return;
  std::string Header = std::string(StubRoot) + "/prefix.h";
  std::string Code;
  for (const auto &[Stub, Contents] : stubHeaders())
    Code += "#include \"" + Stub + "\"\n";
  // Every input's file system holds it: the precompiled header names it.
  stubHeaders()[Header] = Code;
  std::vector<std::string> Args = compilerArgs();
  Args.insert(Args.end(), {"-x", "c++-header", Header, "-o", Path.c_str()});
  clang::IgnoringDiagConsumer Quiet;
  llvm::IntrusiveRefCntPtr<clang::FileManager> Files = makeFiles("", "");
  clang::tooling::ToolInvocation Invocation(
      std::move(Args), std::make_unique<clang::GeneratePCHAction>(),
      Files.get());
  Invocation.setDiagnosticConsumer(&Quiet);
  if (Invocation.run())
    prefixPch() = Path.str().str();
  else
    llvm::errs() << "torch-tidy-fuzz: no precompiled header; parsing the "
                    "stubs for every input\n";
}

void removePrefixPch() {
  if (!prefixPch().empty())
    llvm::sys::fs::remove(prefixPch());
}

void runChecks(llvm::StringRef Code) {
  using namespace clang::tidy;
  ClangTidyOptions Options = ClangTidyOptions::getDefaults();
  Options.Checks = "-*,torch-*";
  // The driver's JSON mode: loop notes carry the loop's range.
  Options.CheckOptions["TorchLoopRangeInNote"] = {"true", 0};
  ClangTidyContext Context(std::make_unique<DefaultOptionsProvider>(
      ClangTidyGlobalOptions(), std::move(Options)));
  ClangTidyDiagnosticConsumer DiagConsumer(Context);
  clang::DiagnosticsEngine Engine(new clang::DiagnosticIDs(),
                                  new clang::DiagnosticOptions(), &DiagConsumer,
                                  /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(&Engine);

  llvm::IntrusiveRefCntPtr<clang::FileManager> Files =
      makeFiles(InputPath, Code);
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> Overlay(
      new llvm::vfs::OverlayFileSystem(Files->getVirtualFileSystemPtr()));
  ClangTidyASTConsumerFactory Factory(Context, Overlay);
  std::vector<std::string> Args = compilerArgs();
  Args.push_back("-fsyntax-only");
  if (!prefixPch().empty())
    Args.insert(Args.end(), {"-include-pch", prefixPch()});
  Args.push_back(std::string(InputPath));
  clang::tooling::ToolInvocation Invocation(
      std::move(Args), std::make_unique<TidyAction>(Factory, Context),
      Files.get());
  Invocation.setDiagnosticConsumer(&DiagConsumer);
  Invocation.run();
  // The findings themselves are not checked: the fuzzer looks for crashes,
  // sanitizer reports, hangs and leaks. TORCH_TIDY_FUZZ_VERBOSE=1 lists
  // them, to see what an input reaches.
  std::vector<ClangTidyError> Findings = DiagConsumer.take();
  if (std::getenv("TORCH_TIDY_FUZZ_VERBOSE"))
    for (const ClangTidyError &Finding : Findings)
      llvm::errs() << Finding.DiagnosticName << ": " << Finding.Message.Message
                   << "\n";
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *Argc, char ***Argv) {
  (void)clang::tidy::TorchTidyModuleAnchorSource;
  const char *Dir = std::getenv("TORCH_TIDY_FUZZ_STUBS");
  loadStubHeaders(Dir ? Dir : TORCH_TIDY_FUZZ_STUBS_DIR);
  if (!std::getenv("TORCH_TIDY_FUZZ_NO_PCH"))
    buildPrefixPch();
  std::atexit(removePrefixPch);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  runChecks(llvm::StringRef(reinterpret_cast<const char *>(Data), Size));
  return 0;
}
