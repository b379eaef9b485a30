//===--- GradModeCallersTest.cpp - Callers in this file and others
//---------===//

#include "model/GradModeCallers.h"
#include "ModelTestSupport.h"

#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::tidy::torch;

namespace {

const char Code[] = R"cpp(
void helper();
void guarded_caller();
void other();
void entry() { helper(); }
)cpp";

} // namespace

TEST(GradModeCallersTest, ProjectCallsDecide) {
  std::unique_ptr<ASTUnit> Unit = test::parse(Code);
  ASSERT_TRUE(Unit);
  auto Named = [&](const char *Name) {
    return test::findOne<FunctionDecl>(*Unit, functionDecl(hasName(Name)));
  };
  const FunctionDecl *Helper = Named("helper");
  FunctionSummary Main, Report;
  Main.Name = "main";
  Report.Name = "report";
  SummaryCall Guarded, Unguarded;
  Guarded.GradOff = true;

  // Only a guarded call from another file: the helper runs with grad off.
  {
    GradModeCallers Callers;
    Callers.recordProjectCall(&Main, GradModeCallers::nodeOf(Helper), Main,
                              Guarded);
    EXPECT_TRUE(Callers.calledOnlyWithGradOff(Helper));
  }
  // And an unguarded one from a third file: it does not.
  {
    GradModeCallers Callers;
    Callers.recordProjectCall(&Main, GradModeCallers::nodeOf(Helper), Main,
                              Guarded);
    Callers.recordProjectCall(&Report, GradModeCallers::nodeOf(Helper), Report,
                              Unguarded);
    EXPECT_FALSE(Callers.calledOnlyWithGradOff(Helper));
    auto Sites = Callers.callersOf(Helper);
    ASSERT_EQ(Sites.size(), 2u);
    EXPECT_EQ(Sites[1].ExternalCaller, &Report);
    EXPECT_EQ(Sites[1].Caller, nullptr);
  }
  // A guarded call, but the helper also escapes (passed as a callback):
  // it may run anywhere.
  {
    GradModeCallers Callers;
    Callers.recordProjectCall(&Main, GradModeCallers::nodeOf(Helper), Main,
                              Guarded);
    Callers.recordEscape(GradModeCallers::nodeOf(Helper));
    EXPECT_FALSE(Callers.calledOnlyWithGradOff(Helper));
  }
  // Called from this file with grad on.
  {
    GradModeCallers Callers;
    Callers.recordCall(Named("entry"), Helper, /*GradOff=*/false);
    EXPECT_FALSE(Callers.calledOnlyWithGradOff(Helper));
  }
  // No callers at all: no evidence of a guard.
  {
    GradModeCallers Callers;
    EXPECT_FALSE(Callers.calledOnlyWithGradOff(Named("other")));
  }
}
