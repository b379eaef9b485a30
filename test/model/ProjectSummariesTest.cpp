//===--- ProjectSummariesTest.cpp - Merging summaries across files
//---------===//

#include "TorchTidyRules/ProjectSummaries.h"

#include "gtest/gtest.h"

#include <functional>

using namespace clang::tidy::torch;

namespace {

SummaryCall callOf(const std::string &Callee, std::vector<int> Arguments,
                   bool GradOff = false) {
  SummaryCall Call;
  Call.Callee = Callee;
  Call.Arguments = std::move(Arguments);
  Call.GradOff = GradOff;
  return Call;
}

FunctionSummary function(const std::string &Usr) {
  FunctionSummary S;
  S.Usr = Usr;
  S.Name = Usr;
  S.Definition = {"/p/" + Usr + ".cpp", 3, 1};
  return S;
}

/// train.cpp's loop calls note (relay.cpp), which calls record
/// (metrics.cpp), which keeps its argument in a static; relay returns what
/// loss (loss.cpp) returns.
ProjectSummaries threeFiles() {
  ProjectSummaries P;
  FunctionSummary Record = function("record");
  SummaryKeep Keep;
  Keep.Param = 0;
  Keep.Destination = SummaryKeep::Into::Static;
  Keep.StorageName = "kept";
  Keep.Store = {"/p/metrics.cpp", 7, 3};
  Record.Keeps.push_back(Keep);
  FunctionSummary Note = function("note");
  Note.Calls.push_back(callOf("record", {0}));
  FunctionSummary Quiet = function("quiet");
  Quiet.Calls.push_back(callOf("record", {-1}));
  FunctionSummary Loss = function("loss");
  Loss.ReturnsGraph = true;
  Loss.Forward = true;
  FunctionSummary Relay = function("relay");
  Relay.ReturnsGraphOf = {"loss"};
  Relay.Calls.push_back(callOf("loss", {0, 1}));
  FunctionSummary Step = function("step");
  Step.Backward = Step.OptimizerStep = true;
  FunctionSummary Train = function("train");
  Train.Calls.push_back(callOf("step", {}));
  Train.Calls.push_back(callOf("note", {-1}, /*GradOff=*/true));
  for (FunctionSummary *S :
       {&Record, &Note, &Quiet, &Loss, &Relay, &Step, &Train})
    P.add(*S);
  return P;
}

} // namespace

TEST(ProjectSummariesTest, SolveFollowsChainsAcrossFiles) {
  ProjectSummaries P = threeFiles();
  P.solve();
  const FunctionSummary *Note = P.find("note");
  ASSERT_TRUE(Note);
  ASSERT_EQ(Note->Keeps.size(), 1u);
  EXPECT_EQ(Note->Keeps[0].Param, 0);
  EXPECT_EQ(Note->Keeps[0].StorageName, "kept");
  EXPECT_EQ(Note->Keeps[0].Store.File, "/p/metrics.cpp");
  // Its argument to record is not its own parameter: nothing it is given
  // is kept.
  EXPECT_TRUE(P.find("quiet")->Keeps.empty());
  EXPECT_TRUE(P.find("relay")->ReturnsGraph);
  EXPECT_TRUE(P.find("relay")->Forward);
  EXPECT_TRUE(P.find("train")->Backward);
  EXPECT_TRUE(P.find("train")->OptimizerStep);
  // The call of note is under a guard: note's forward passes are not
  // train's.
  EXPECT_FALSE(P.find("train")->Forward);
  ASSERT_EQ(P.callersOf("record").size(), 2u);
  EXPECT_EQ(P.callersOf("note").front().Function->Name, "train");
  EXPECT_TRUE(P.callersOf("note").front().Call->GradOff);
  // Solving again changes nothing.
  std::string Once = P.toJson();
  P.solve();
  EXPECT_EQ(P.toJson(), Once);
}

TEST(ProjectSummariesTest, RecursionEnds) {
  ProjectSummaries P;
  FunctionSummary A = function("a"), B = function("b");
  SummaryKeep Keep;
  Keep.Param = 0;
  A.Keeps.push_back(Keep);
  A.Calls.push_back(callOf("b", {0}));
  B.Calls.push_back(callOf("a", {0}));
  P.add(A);
  P.add(B);
  P.solve();
  EXPECT_EQ(P.find("a")->Keeps.size(), 1u);
  EXPECT_EQ(P.find("b")->Keeps.size(), 1u);
}

TEST(ProjectSummariesTest, JsonRoundTrip) {
  ProjectSummaries P = threeFiles();
  P.solve();
  std::string Text = P.toJson();
  llvm::Expected<ProjectSummaries> Read = ProjectSummaries::fromJson(Text, "f");
  ASSERT_TRUE(static_cast<bool>(Read)) << llvm::toString(Read.takeError());
  EXPECT_EQ(Read->toJson(), Text);
  EXPECT_EQ(Read->functions().size(), 7u);
}

TEST(ProjectSummariesTest, FirstSummaryOfAUsrWins) {
  ProjectSummaries P;
  FunctionSummary First = function("inline_helper");
  First.Backward = true;
  FunctionSummary Second = function("inline_helper");
  P.add(First);
  P.add(Second);
  EXPECT_EQ(P.functions().size(), 1u);
  EXPECT_TRUE(P.find("inline_helper")->Backward);
}

TEST(ProjectSummariesTest, BadInputSaysWhy) {
  auto Message = [](llvm::StringRef Text) {
    llvm::Expected<ProjectSummaries> Read =
        ProjectSummaries::fromJson(Text, "s.json");
    return Read ? std::string("parsed") : llvm::toString(Read.takeError());
  };
  EXPECT_EQ(Message("{").rfind("s.json: not valid JSON: ", 0), 0u);
  EXPECT_EQ(Message("[]"), "s.json: not a torch-tidy project summaries file");
  EXPECT_EQ(
      Message(R"({"schema": "torch-tidy-project-summaries", "version": 9,
                  "functions": []})"),
      "s.json: summaries format version 9, this torch-tidy reads version 1 "
      "(run 'torch-tidy summarize' again)");
  EXPECT_EQ(Message(R"({"schema": "torch-tidy-project-summaries",
                        "version": 1, "functions": [{"usr": 3}]})"),
            "s.json: function 0: 'usr' must be a string");
  EXPECT_EQ(Message(R"({"schema": "torch-tidy-project-summaries",
                        "version": 1, "functions": []})"),
            "parsed");
}

/// The view of a file's questions: what they lead to changes it, nothing
/// else does.
TEST(ProjectSummariesTest, ViewFollowsCalleesDownAndCallersUp) {
  auto ViewAfter = [](const std::function<void(FunctionSummary &)> &Edit,
                      const std::string &Usr,
                      llvm::ArrayRef<std::string> SummariesRead,
                      llvm::ArrayRef<std::string> CallersRead) {
    ProjectSummaries P;
    ProjectSummaries Base = threeFiles();
    for (FunctionSummary S : Base.functions()) {
      if (S.Usr == Usr)
        Edit(S);
      P.add(std::move(S));
    }
    P.solve();
    return P.viewJson(SummariesRead, CallersRead);
  };
  auto Unchanged = [](FunctionSummary &) {};
  auto MoveStore = [](FunctionSummary &S) { S.Keeps[0].Store.Line = 9; };
  auto MoveCall = [](FunctionSummary &S) { S.Calls[0].At.Line = 12; };

  // Reading note's summary reads record's, which note's rests on.
  std::string Note = ViewAfter(Unchanged, "", {"note"}, {});
  EXPECT_NE(ViewAfter(MoveStore, "record", {"note"}, {}), Note);
  // loss is not below note: an edit there is not seen.
  EXPECT_EQ(ViewAfter([](FunctionSummary &S) { S.Forward = false; }, "loss",
                      {"note"}, {}),
            Note);

  // Looking at record's callers reads note and quiet, and train, which
  // calls note; not step, which train calls.
  std::string Callers = ViewAfter(Unchanged, "", {}, {"record"});
  EXPECT_NE(ViewAfter(MoveCall, "train", {}, {"record"}), Callers);
  EXPECT_EQ(ViewAfter([](FunctionSummary &S) { S.Name = "renamed"; }, "step",
                      {}, {"record"}),
            Callers);

  // A function the project does not define is part of the view: defining
  // it changes what the checks would read.
  std::string Missing = ViewAfter(Unchanged, "", {"later"}, {});
  EXPECT_NE(Missing, ViewAfter(Unchanged, "", {}, {}));
  EXPECT_NE(Missing.find("later"), std::string::npos);
}
