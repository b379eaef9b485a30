//===--- GraphFlowTest.cpp - Which values carry a graph
//--------------------===//

#include "model/GraphFlow.h"
#include "ModelTestSupport.h"
#include "model/FunctionBodyIndex.h"

#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::tidy::torch;

namespace {

const char CycleCode[] = R"cpp(
#include <torch/torch.h>
void cycle(torch::nn::Linear net, torch::Tensor x) {
  torch::Tensor loss = net(x).sum();
  torch::Tensor a, b;
  a = b;
  b = a;
  b = loss;
}
void detached(torch::nn::Linear net, torch::Tensor x) {
  torch::Tensor loss = net(x).sum();
  torch::Tensor a, b;
  a = b;
  b = a;
  b = loss.detach();
}
)cpp";

struct Cycle {
  std::unique_ptr<ASTUnit> Unit = test::parse(CycleCode);
  const FunctionDecl *Function(const char *Name) {
    return test::findOne<FunctionDecl>(
        *Unit, functionDecl(hasName(Name), isDefinition()));
  }
  /// The first reference to the variable \p Name in \p In.
  const Expr *refTo(const FunctionDecl *In, const char *Name) {
    auto Found =
        match(findAll(declRefExpr(to(varDecl(hasName(Name)))).bind("ref")),
              *In->getBody(), Unit->getASTContext());
    return Found.empty() ? nullptr : Found.front().getNodeAs<Expr>("ref");
  }
};

bool isUser(const FunctionDecl &) { return true; }

} // namespace

// The test the issue asks for: the same answer in both orders (an answer
// that rested on a question still open was cached as "no" before).
TEST(GraphFlowTest, CycleAskedInBothOrders) {
  Cycle C;
  ASSERT_TRUE(C.Unit);
  const FunctionDecl *F = C.Function("cycle");
  ASSERT_TRUE(F);
  for (bool AFirst : {true, false}) {
    GraphFlow Flow(isUser);
    const FunctionBodyIndex &Index = Flow.indexOf(*F);
    const Expr *A = C.refTo(F, "a"), *B = C.refTo(F, "b");
    ASSERT_TRUE(A && B);
    if (AFirst) {
      EXPECT_TRUE(Flow.carriesGraph(A, Index));
      EXPECT_TRUE(Flow.carriesGraph(B, Index));
    } else {
      EXPECT_TRUE(Flow.carriesGraph(B, Index));
      EXPECT_TRUE(Flow.carriesGraph(A, Index));
    }
  }
}

TEST(GraphFlowTest, DetachedCycleCarriesNothing) {
  Cycle C;
  ASSERT_TRUE(C.Unit);
  const FunctionDecl *F = C.Function("detached");
  ASSERT_TRUE(F);
  for (bool AFirst : {true, false}) {
    GraphFlow Flow(isUser);
    const FunctionBodyIndex &Index = Flow.indexOf(*F);
    const Expr *A = C.refTo(F, "a"), *B = C.refTo(F, "b");
    ASSERT_TRUE(A && B);
    EXPECT_FALSE(Flow.carriesGraph(AFirst ? A : B, Index));
    EXPECT_FALSE(Flow.carriesGraph(AFirst ? B : A, Index));
  }
}

TEST(GraphFlowTest, ReturnedGraphs) {
  auto Unit = test::parse(R"cpp(
#include <torch/torch.h>
torch::Tensor logits(torch::nn::Linear net, torch::Tensor x) { return net(x); }
torch::Tensor guarded(torch::nn::Linear net, torch::Tensor x) {
  torch::NoGradGuard g;
  return net(x);
}
torch::Tensor declared(torch::nn::Linear net, torch::Tensor x);
)cpp");
  ASSERT_TRUE(Unit);
  GraphFlow Flow(isUser);
  auto Named = [&](const char *Name) {
    return test::findOne<FunctionDecl>(*Unit, functionDecl(hasName(Name)));
  };
  EXPECT_TRUE(Flow.returnsGraph(Named("logits")));
  EXPECT_FALSE(Flow.returnsGraph(Named("guarded")));
  // Defined elsewhere, and no project summaries: not known to.
  EXPECT_FALSE(Flow.returnsGraph(Named("declared")));
}
