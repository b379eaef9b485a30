//===--- ProjectSummaries.h - What each function of a project does -*- C++
//-*-===//
//
// Part of the rules' public interface. clang-tidy sees one translation unit
// at a time, but a training loop in train.cpp calls helpers defined in
// metrics.cpp and eval.cpp. A function summary says, for one function of
// the user's code, what a caller needs to know without its body: which
// arguments it keeps beyond the call, whether its result carries a graph,
// which autograd events it runs, and whom it calls with grad mode on or
// off. The driver summarises every translation unit of a compile database,
// merges the summaries to a fixed point and hands the file to the checks
// through the global option ProjectSummariesOption (docs/formats.md).
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_INCLUDE_TORCHTIDYRULES_PROJECTSUMMARIES_H
#define TORCH_TIDY_RULES_INCLUDE_TORCHTIDYRULES_PROJECTSUMMARIES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Decl;
} // namespace clang

namespace clang::tidy::torch {

/// Name of the global check option that names the merged summaries file.
inline constexpr llvm::StringLiteral ProjectSummariesOption =
    "torch-tidy.ProjectSummaries";

/// The version of the summaries format; a file of another version is
/// rejected with a message.
inline constexpr unsigned ProjectSummariesVersion = 1;

/// A place in a source file, for notes that point into another file.
struct SummaryLocation {
  std::string File; // Absolute.
  unsigned Line = 0;
  unsigned Column = 0;
};

/// A value the function keeps beyond the call.
struct SummaryKeep {
  static constexpr int OwnGraph = -1;
  /// The kept parameter (0-based), or OwnGraph for a graph the function
  /// records itself and keeps.
  int Param = OwnGraph;
  enum class Into { Argument, Member, Static, Global };
  Into Destination = Into::Static;
  int IntoParam = -1;      // For Into::Argument: the parameter kept into.
  std::string StorageName; // The static, global or member, for messages.
  enum class How { Appended, Accumulated, Written, Chained };
  How Kind = How::Appended;
  SummaryLocation Store; // The statement that finally keeps it.
};

/// A call from the function to another function of the user's code, or a
/// reference to one that lets it escape (passed on, stored).
struct SummaryCall {
  std::string Callee; // Its USR.
  bool GradOff = false;
  bool Escape = false;
  /// For each parameter of the callee, the caller's parameter whose value
  /// the argument carries, or -1.
  std::vector<int> Arguments;
  /// The arguments (0-based, in the callee's parameter order) that are a
  /// module's parameters (`update_ema(ema, model->parameters())`).
  std::vector<unsigned> ParametersAt;
  SummaryLocation At;
};

struct FunctionSummary {
  std::string Usr;
  std::string Name; // Qualified, for messages.
  SummaryLocation Definition;
  std::vector<SummaryKeep> Keeps;
  /// The result carries a graph that the function records itself (a graph
  /// that flows in through an argument is judged at the call).
  bool ReturnsGraph = false;
  /// ... or when one of these callees (USRs) returns one: the function
  /// returns what they return.
  std::vector<std::string> ReturnsGraphOf;
  bool Forward = false;       // Runs a forward pass with grad on.
  bool Backward = false;      // Runs a backward pass.
  bool OptimizerStep = false; // Steps an optimizer.
  bool GradientReset = false; // Resets gradients (zero_grad).
  /// Updates a module's parameter or buffer in place (`p.add_(...)`,
  /// `p -= lr * g`), in any grad mode.
  bool UpdatesParameters = false;
  bool GradOffBody = false;   // Holds a grad-off guard for its whole body.
  std::vector<SummaryCall> Calls;
};

/// The summaries of a project, by USR, and the callers of each function.
class ProjectSummaries {
public:
  ProjectSummaries() = default;
  // The caller index points into the summaries: moves keep it, copies would
  // not.
  ProjectSummaries(ProjectSummaries &&) = default;
  ProjectSummaries &operator=(ProjectSummaries &&) = default;
  ProjectSummaries(const ProjectSummaries &) = delete;
  ProjectSummaries &operator=(const ProjectSummaries &) = delete;

  /// Adds \p Summary; the first summary of a USR wins (a function defined
  /// in a header is summarised in every translation unit that includes it).
  void add(FunctionSummary Summary);

  const FunctionSummary *find(llvm::StringRef Usr) const;
  llvm::ArrayRef<FunctionSummary> functions() const { return Functions; }

  /// Propagates what functions do through the calls between them, to a
  /// fixed point: a helper that passes its argument to a helper in a third
  /// file that keeps it keeps it too; events and returned graphs of callees
  /// count for their callers. Then indexes the callers of each function.
  void solve();

  struct Caller {
    const FunctionSummary *Function;
    const SummaryCall *Call;
  };
  /// Every call and escape of the function named by \p Usr (after solve()).
  llvm::ArrayRef<Caller> callersOf(llvm::StringRef Usr) const;

  /// The JSON text of docs/formats.md ("torch-tidy project summaries").
  std::string toJson() const;

  /// What the checks can have read of the project (after solve()), as
  /// text that changes when that does: the summaries of \p SummariesRead and
  /// of the functions they call, to any depth; the callers, to any depth,
  /// of \p CallersRead, with their summaries; and the USRs among them that
  /// the project does not define (ProjectQuestions.h).
  std::string viewJson(llvm::ArrayRef<std::string> SummariesRead,
                       llvm::ArrayRef<std::string> CallersRead) const;
  /// Parses toJson()'s text; \p Name names the file in errors.
  static llvm::Expected<ProjectSummaries> fromJson(llvm::StringRef Text,
                                                   llvm::StringRef Name);
  /// Reads, parses and solves a file, once per process while the file is
  /// unchanged.
  static llvm::Expected<std::shared_ptr<const ProjectSummaries>>
  load(llvm::StringRef Path);

private:
  std::vector<FunctionSummary> Functions;
  llvm::StringMap<size_t> ByUsr;
  llvm::StringMap<std::vector<Caller>> Callers;
};

/// The USR that names \p D in every translation unit; "" when it has none.
std::string usrOf(const Decl *D);

/// Summaries of the user's functions defined in the translation unit of
/// \p Context: functions and methods with a body outside system headers and
/// libtorch, except templates, lambdas and functions in macros.
std::vector<FunctionSummary> summariseTranslationUnit(ASTContext &Context);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_INCLUDE_TORCHTIDYRULES_PROJECTSUMMARIES_H
