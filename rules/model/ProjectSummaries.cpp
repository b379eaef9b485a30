//===--- ProjectSummaries.cpp - What each function of a project does ------===//

#include "TorchTidyRules/ProjectSummaries.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <map>
#include <mutex>
#include <optional>
#include <set>

namespace json = llvm::json;

namespace clang::tidy::torch {

void ProjectSummaries::add(FunctionSummary Summary) {
  if (Summary.Usr.empty() || ByUsr.count(Summary.Usr))
    return;
  ByUsr[Summary.Usr] = Functions.size();
  Functions.push_back(std::move(Summary));
}

const FunctionSummary *ProjectSummaries::find(llvm::StringRef Usr) const {
  auto It = ByUsr.find(Usr);
  return It == ByUsr.end() ? nullptr : &Functions[It->second];
}

namespace {

bool sameKeep(const SummaryKeep &A, const SummaryKeep &B) {
  return A.Param == B.Param && A.Destination == B.Destination &&
         A.IntoParam == B.IntoParam && A.StorageName == B.StorageName;
}

/// What \p Callee's keep \p Inner means for the caller that made \p Call:
/// a keep of the caller's own parameter or graph, when the value and the
/// storage can be named from the caller.
std::optional<SummaryKeep> keepThroughCall(const SummaryKeep &Inner,
                                           const SummaryCall &Call) {
  SummaryKeep Kept = Inner;
  if (Inner.Param == SummaryKeep::OwnGraph) {
    // The callee's own graph is the caller's, unless recorded with grad off.
    if (Call.GradOff)
      return std::nullopt;
  } else {
    if (Inner.Param >= static_cast<int>(Call.Arguments.size()) ||
        Call.Arguments[Inner.Param] < 0)
      return std::nullopt;
    Kept.Param = Call.Arguments[Inner.Param];
  }
  switch (Inner.Destination) {
  case SummaryKeep::Into::Static:
  case SummaryKeep::Into::Global:
    return Kept;
  case SummaryKeep::Into::Argument:
    if (Inner.IntoParam < 0 ||
        Inner.IntoParam >= static_cast<int>(Call.Arguments.size()) ||
        Call.Arguments[Inner.IntoParam] < 0)
      return std::nullopt;
    Kept.IntoParam = Call.Arguments[Inner.IntoParam];
    return Kept;
  case SummaryKeep::Into::Member:
    // The callee's object is not one the caller's summary can name.
    return std::nullopt;
  }
  return std::nullopt;
}

} // namespace

void ProjectSummaries::solve() {
  // Each round only adds facts, and facts are finite: it ends.
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (FunctionSummary &Caller : Functions) {
      for (const SummaryCall &Call : Caller.Calls) {
        if (Call.Escape)
          continue;
        const FunctionSummary *Callee = find(Call.Callee);
        if (!Callee || Callee == &Caller)
          continue;
        auto Raise = [&Changed](bool &Flag, bool Value) {
          if (Value && !Flag)
            Flag = Changed = true;
        };
        Raise(Caller.Backward, Callee->Backward);
        Raise(Caller.OptimizerStep, Callee->OptimizerStep);
        Raise(Caller.GradientReset, Callee->GradientReset);
        Raise(Caller.UpdatesParameters, Callee->UpdatesParameters);
        Raise(Caller.Forward, Callee->Forward && !Call.GradOff);
        // Copied first: adding to Caller.Keeps may move Callee's keeps when
        // a function calls itself through another.
        std::vector<SummaryKeep> Inner = Callee->Keeps;
        for (const SummaryKeep &K : Inner) {
          std::optional<SummaryKeep> Kept = keepThroughCall(K, Call);
          if (!Kept || llvm::any_of(Caller.Keeps, [&](const SummaryKeep &O) {
                return sameKeep(O, *Kept);
              }))
            continue;
          Caller.Keeps.push_back(std::move(*Kept));
          Changed = true;
        }
      }
      if (!Caller.ReturnsGraph)
        for (const std::string &Usr : Caller.ReturnsGraphOf)
          if (const FunctionSummary *Callee = find(Usr);
              Callee && Callee->ReturnsGraph) {
            Caller.ReturnsGraph = Changed = true;
            break;
          }
    }
  }
  Callers.clear();
  for (const FunctionSummary &Caller : Functions)
    for (const SummaryCall &Call : Caller.Calls)
      Callers[Call.Callee].push_back({&Caller, &Call});
}

llvm::ArrayRef<ProjectSummaries::Caller>
ProjectSummaries::callersOf(llvm::StringRef Usr) const {
  auto It = Callers.find(Usr);
  if (It == Callers.end())
    return {};
  return It->second;
}

namespace {

llvm::StringRef intoName(SummaryKeep::Into Into) {
  switch (Into) {
  case SummaryKeep::Into::Argument:
    return "argument";
  case SummaryKeep::Into::Member:
    return "member";
  case SummaryKeep::Into::Static:
    return "static";
  case SummaryKeep::Into::Global:
    return "global";
  }
  return "static";
}

llvm::StringRef howName(SummaryKeep::How How) {
  switch (How) {
  case SummaryKeep::How::Appended:
    return "appended";
  case SummaryKeep::How::Accumulated:
    return "accumulated";
  case SummaryKeep::How::Written:
    return "written";
  case SummaryKeep::How::Chained:
    return "chained";
  }
  return "appended";
}

json::Value locationJson(const SummaryLocation &L) {
  return json::Object{{"file", L.File}, {"line", L.Line}, {"column", L.Column}};
}

json::Value summaryJson(const FunctionSummary &S) {
  json::Array Keeps;
  for (const SummaryKeep &K : S.Keeps) {
    json::Object Keep{{"param", K.Param},
                      {"into", intoName(K.Destination)},
                      {"storage", K.StorageName},
                      {"kind", howName(K.Kind)},
                      {"store", locationJson(K.Store)}};
    if (K.Destination == SummaryKeep::Into::Argument)
      Keep["into_param"] = K.IntoParam;
    Keeps.push_back(std::move(Keep));
  }
  json::Array Calls;
  for (const SummaryCall &C : S.Calls)
    Calls.push_back(json::Object{{"callee", C.Callee},
                                 {"grad_off", C.GradOff},
                                 {"escape", C.Escape},
                                 {"arguments", json::Array(C.Arguments)},
                                 {"parameters_at", json::Array(C.ParametersAt)},
                                 {"at", locationJson(C.At)}});
  return json::Object{
      {"usr", S.Usr},
      {"name", S.Name},
      {"definition", locationJson(S.Definition)},
      {"keeps", std::move(Keeps)},
      {"returns_graph", S.ReturnsGraph},
      {"returns_graph_of", json::Array(S.ReturnsGraphOf)},
      {"forward", S.Forward},
      {"backward", S.Backward},
      {"optimizer_step", S.OptimizerStep},
      {"gradient_reset", S.GradientReset},
      {"updates_parameters", S.UpdatesParameters},
      {"grad_off_body", S.GradOffBody},
      {"calls", std::move(Calls)},
  };
}

/// Reads one field; a missing or mistyped field is an error naming it.
class FieldReader {
public:
  FieldReader(const json::Object &Object, std::string Where)
      : Object(Object), Where(std::move(Where)) {}

  std::string string(llvm::StringRef Key) {
    if (auto Value = Object.getString(Key))
      return Value->str();
    fail(Key, "a string");
    return "";
  }
  int64_t integer(llvm::StringRef Key) {
    if (auto Value = Object.getInteger(Key))
      return *Value;
    fail(Key, "an integer");
    return 0;
  }
  bool boolean(llvm::StringRef Key) {
    if (auto Value = Object.getBoolean(Key))
      return *Value;
    fail(Key, "a boolean");
    return false;
  }
  bool optionalBoolean(llvm::StringRef Key) {
    return Object.get(Key) ? boolean(Key) : false;
  }
  const json::Array &array(llvm::StringRef Key) {
    static const json::Array Empty;
    if (const json::Array *Value = Object.getArray(Key))
      return *Value;
    fail(Key, "an array");
    return Empty;
  }
  const json::Object &object(llvm::StringRef Key) {
    static const json::Object Empty;
    if (const json::Object *Value = Object.getObject(Key))
      return *Value;
    fail(Key, "an object");
    return Empty;
  }
  void fail(llvm::StringRef Key, llvm::StringRef Expected) {
    if (Problem.empty())
      Problem = Where + ": '" + Key.str() + "' must be " + Expected.str();
  }
  std::string Problem;

private:
  const json::Object &Object;
  std::string Where;
};

SummaryLocation readLocation(const json::Object &Object, FieldReader &Errors) {
  FieldReader Fields(Object, "location");
  SummaryLocation L{Fields.string("file"),
                    static_cast<unsigned>(Fields.integer("line")),
                    static_cast<unsigned>(Fields.integer("column"))};
  if (Errors.Problem.empty())
    Errors.Problem = Fields.Problem;
  return L;
}

std::vector<int> readIndexes(const json::Array &Array) {
  std::vector<int> Indexes;
  for (const json::Value &V : Array)
    Indexes.push_back(static_cast<int>(V.getAsInteger().value_or(-1)));
  return Indexes;
}

std::vector<std::string> readStrings(const json::Array &Array) {
  std::vector<std::string> Strings;
  for (const json::Value &V : Array)
    if (auto S = V.getAsString())
      Strings.push_back(S->str());
  return Strings;
}

std::optional<FunctionSummary> readSummary(const json::Object &Object,
                                           size_t Index, std::string &Problem) {
  FieldReader Fields(Object, "function " + std::to_string(Index));
  FunctionSummary S;
  S.Usr = Fields.string("usr");
  S.Name = Fields.string("name");
  S.Definition = readLocation(Fields.object("definition"), Fields);
  for (const json::Value &V : Fields.array("keeps")) {
    const json::Object *K = V.getAsObject();
    if (!K) {
      Fields.fail("keeps", "an array of objects");
      break;
    }
    FieldReader KeepFields(*K, "a keep of function " + std::to_string(Index));
    SummaryKeep Keep;
    Keep.Param = static_cast<int>(KeepFields.integer("param"));
    std::string Into = KeepFields.string("into");
    Keep.Destination = Into == "argument" ? SummaryKeep::Into::Argument
                       : Into == "member" ? SummaryKeep::Into::Member
                       : Into == "global" ? SummaryKeep::Into::Global
                                          : SummaryKeep::Into::Static;
    if (Keep.Destination == SummaryKeep::Into::Argument)
      Keep.IntoParam = static_cast<int>(KeepFields.integer("into_param"));
    Keep.StorageName = KeepFields.string("storage");
    std::string How = KeepFields.string("kind");
    Keep.Kind = How == "accumulated" ? SummaryKeep::How::Accumulated
                : How == "written"   ? SummaryKeep::How::Written
                : How == "chained"   ? SummaryKeep::How::Chained
                                     : SummaryKeep::How::Appended;
    Keep.Store = readLocation(KeepFields.object("store"), KeepFields);
    if (Fields.Problem.empty())
      Fields.Problem = KeepFields.Problem;
    S.Keeps.push_back(std::move(Keep));
  }
  S.ReturnsGraph = Fields.boolean("returns_graph");
  S.ReturnsGraphOf = readStrings(Fields.array("returns_graph_of"));
  S.Forward = Fields.boolean("forward");
  S.Backward = Fields.boolean("backward");
  S.OptimizerStep = Fields.boolean("optimizer_step");
  S.GradientReset = Fields.boolean("gradient_reset");
  // Added after the first files of version 1 were written: absent is false.
  S.UpdatesParameters = Fields.optionalBoolean("updates_parameters");
  S.GradOffBody = Fields.boolean("grad_off_body");
  for (const json::Value &V : Fields.array("calls")) {
    const json::Object *C = V.getAsObject();
    if (!C) {
      Fields.fail("calls", "an array of objects");
      break;
    }
    FieldReader CallFields(*C, "a call of function " + std::to_string(Index));
    SummaryCall Call;
    Call.Callee = CallFields.string("callee");
    Call.GradOff = CallFields.boolean("grad_off");
    Call.Escape = CallFields.boolean("escape");
    Call.Arguments = readIndexes(CallFields.array("arguments"));
    for (int At : readIndexes(CallFields.array("parameters_at")))
      if (At >= 0)
        Call.ParametersAt.push_back(static_cast<unsigned>(At));
    Call.At = readLocation(CallFields.object("at"), CallFields);
    if (Fields.Problem.empty())
      Fields.Problem = CallFields.Problem;
    S.Calls.push_back(std::move(Call));
  }
  if (!Fields.Problem.empty()) {
    Problem = Fields.Problem;
    return std::nullopt;
  }
  return S;
}

} // namespace

std::string ProjectSummaries::toJson() const {
  json::Array All;
  for (const FunctionSummary &S : Functions)
    All.push_back(summaryJson(S));
  json::Value Document =
      json::Object{{"schema", "torch-tidy-project-summaries"},
                   {"version", ProjectSummariesVersion},
                   {"functions", std::move(All)}};
  return llvm::formatv("{0:2}", Document).str() + "\n";
}

std::string
ProjectSummaries::viewJson(llvm::ArrayRef<std::string> SummariesRead,
                           llvm::ArrayRef<std::string> CallersRead) const {
  std::set<std::string> Undefined;
  std::map<std::string, const FunctionSummary *> Read;
  // Visits every USR reachable from \p Start, each once; \p Visit adds
  // the next ones.
  auto Walk = [](llvm::ArrayRef<std::string> Start,
                 llvm::function_ref<void(const std::string &,
                                         std::vector<std::string> &)>
                     Visit) {
    std::vector<std::string> Pending(Start.begin(), Start.end());
    llvm::StringSet<> Seen;
    while (!Pending.empty()) {
      std::string Usr = std::move(Pending.back());
      Pending.pop_back();
      if (Seen.insert(Usr).second)
        Visit(Usr, Pending);
    }
  };
  // Callees, to any depth: what a summary says may rest on them.
  Walk(SummariesRead, [&](const std::string &Usr, auto &Next) {
    const FunctionSummary *Summary = find(Usr);
    if (!Summary) {
      Undefined.insert(Usr);
      return;
    }
    Read.emplace(Usr, Summary);
    for (const SummaryCall &Call : Summary->Calls)
      Next.push_back(Call.Callee);
  });
  // Callers, to any depth: whether they hold a guard, and who calls them.
  Walk(CallersRead, [&](const std::string &Usr, auto &Next) {
    for (const Caller &From : callersOf(Usr)) {
      Read.emplace(From.Function->Usr, From.Function);
      Next.push_back(From.Function->Usr);
    }
  });
  json::Array Functions;
  for (const auto &[Usr, Summary] : Read)
    Functions.push_back(summaryJson(*Summary));
  json::Array Unknown;
  for (const std::string &Usr : Undefined)
    Unknown.push_back(Usr);
  json::Value Document = json::Object{{"functions", std::move(Functions)},
                                      {"undefined", std::move(Unknown)}};
  return llvm::formatv("{0}", Document).str();
}

llvm::Expected<ProjectSummaries>
ProjectSummaries::fromJson(llvm::StringRef Text, llvm::StringRef Name) {
  auto Fail = [&](const llvm::Twine &Why) {
    return llvm::createStringError(
        std::make_error_code(std::errc::invalid_argument), Name + ": " + Why);
  };
  llvm::Expected<json::Value> Parsed = json::parse(Text);
  if (!Parsed)
    return Fail("not valid JSON: " + llvm::toString(Parsed.takeError()));
  const json::Object *Root = Parsed->getAsObject();
  if (!Root || Root->getString("schema") != "torch-tidy-project-summaries")
    return Fail("not a torch-tidy project summaries file");
  if (Root->getInteger("version") != ProjectSummariesVersion)
    return Fail("summaries format version " +
                llvm::Twine(Root->getInteger("version").value_or(0)) +
                ", this torch-tidy reads version " +
                llvm::Twine(ProjectSummariesVersion) +
                " (run 'torch-tidy summarize' again)");
  const json::Array *All = Root->getArray("functions");
  if (!All)
    return Fail("'functions' must be an array");
  ProjectSummaries Result;
  for (size_t I = 0; I < All->size(); ++I) {
    const json::Object *Object = (*All)[I].getAsObject();
    std::string Problem = "function " + std::to_string(I) + " is not an object";
    std::optional<FunctionSummary> S =
        Object ? readSummary(*Object, I, Problem) : std::nullopt;
    if (!S)
      return Fail(Problem);
    Result.add(std::move(*S));
  }
  return Result;
}

llvm::Expected<std::shared_ptr<const ProjectSummaries>>
ProjectSummaries::load(llvm::StringRef Path) {
  // Every check of every translation unit asks for the same file: parse it
  // once while its size and time stamp stay the same.
  struct Entry {
    llvm::sys::TimePoint<> Modified;
    uint64_t Size = 0;
    std::shared_ptr<const ProjectSummaries> Summaries;
  };
  static std::mutex Lock;
  static std::map<std::string, Entry> Loaded;

  llvm::sys::fs::file_status Status;
  if (std::error_code Error = llvm::sys::fs::status(Path, Status))
    return llvm::createStringError(Error,
                                   Path + ": cannot read: " + Error.message());
  std::lock_guard<std::mutex> Guard(Lock);
  Entry &Known = Loaded[Path.str()];
  if (Known.Summaries && Known.Modified == Status.getLastModificationTime() &&
      Known.Size == Status.getSize())
    return Known.Summaries;
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return llvm::createStringError(
        Buffer.getError(),
        Path + ": cannot read: " + Buffer.getError().message());
  llvm::Expected<ProjectSummaries> Parsed =
      fromJson((*Buffer)->getBuffer(), Path);
  if (!Parsed)
    return Parsed.takeError();
  auto Shared = std::make_shared<ProjectSummaries>(std::move(*Parsed));
  Shared->solve();
  Known = {Status.getLastModificationTime(), Status.getSize(), Shared};
  return std::shared_ptr<const ProjectSummaries>(Shared);
}

} // namespace clang::tidy::torch
