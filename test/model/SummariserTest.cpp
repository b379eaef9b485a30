//===--- SummariserTest.cpp - Summaries of one translation unit
//------------===//

#include "ModelTestSupport.h"
#include "TorchTidyRules/ProjectSummaries.h"

#include "gtest/gtest.h"

#include <map>

using namespace clang;
using namespace clang::tidy::torch;

namespace {

std::map<std::string, FunctionSummary> summariesOf(const std::string &Code) {
  std::map<std::string, FunctionSummary> ByName;
  std::unique_ptr<ASTUnit> Unit = test::parse(Code);
  if (!Unit)
    return ByName;
  for (FunctionSummary &S : summariseTranslationUnit(Unit->getASTContext()))
    ByName[S.Name] = std::move(S);
  return ByName;
}

} // namespace

TEST(SummariserTest, KeptArguments) {
  auto S = summariesOf(R"cpp(
#include <torch/torch.h>
#include <vector>
std::vector<torch::Tensor> &history() {
  static std::vector<torch::Tensor> kept;
  return kept;
}
std::vector<torch::Tensor> all_losses;
void record(const torch::Tensor &loss) { history().push_back(loss); }
void record_global(torch::Tensor loss) { all_losses.push_back(loss); }
void record_into(std::vector<torch::Tensor> &into, torch::Tensor loss) {
  into.push_back(loss);
}
void record_value(torch::Tensor loss) { (void)loss.item<float>(); }
void record_detached(torch::Tensor loss) {
  history().push_back(loss.detach());
}
)cpp");
  ASSERT_EQ(S["record"].Keeps.size(), 1u);
  EXPECT_EQ(S["record"].Keeps[0].Param, 0);
  EXPECT_EQ(S["record"].Keeps[0].Destination, SummaryKeep::Into::Static);
  EXPECT_EQ(S["record"].Keeps[0].StorageName, "kept");
  ASSERT_EQ(S["record_global"].Keeps.size(), 1u);
  EXPECT_EQ(S["record_global"].Keeps[0].Destination, SummaryKeep::Into::Global);
  ASSERT_EQ(S["record_into"].Keeps.size(), 1u);
  EXPECT_EQ(S["record_into"].Keeps[0].Param, 1);
  EXPECT_EQ(S["record_into"].Keeps[0].Destination, SummaryKeep::Into::Argument);
  EXPECT_EQ(S["record_into"].Keeps[0].IntoParam, 0);
  EXPECT_TRUE(S["record_value"].Keeps.empty());
  EXPECT_TRUE(S["record_detached"].Keeps.empty());
}

TEST(SummariserTest, EventsReturnsAndCalls) {
  auto S = summariesOf(R"cpp(
#include <torch/torch.h>
torch::Tensor loss_of(torch::nn::Linear net, torch::Tensor x);
torch::Tensor relay(torch::nn::Linear net, torch::Tensor x) {
  return loss_of(net, x);
}
torch::Tensor logits(torch::nn::Linear net, torch::Tensor x) {
  return net(x);
}
void step(torch::nn::Linear net, torch::optim::SGD &opt, torch::Tensor x) {
  opt.zero_grad();
  net(x).sum().backward();
  opt.step();
}
double evaluate(torch::nn::Linear net, torch::Tensor x) {
  torch::NoGradGuard guard;
  return net(x).sum().item<double>();
}
void driver(torch::nn::Linear net, torch::Tensor x) {
  {
    torch::NoGradGuard g;
    evaluate(net, x);
  }
  evaluate(net, x);
  auto callback = &evaluate;
  (void)callback;
}
)cpp");
  EXPECT_TRUE(S["logits"].ReturnsGraph);
  EXPECT_TRUE(S["logits"].Forward);
  // Depends on a function of another file.
  EXPECT_FALSE(S["relay"].ReturnsGraph);
  ASSERT_EQ(S["relay"].ReturnsGraphOf.size(), 1u);
  EXPECT_NE(S["relay"].ReturnsGraphOf[0].find("loss_of"), std::string::npos);
  ASSERT_EQ(S["relay"].Calls.size(), 1u);
  EXPECT_EQ(S["relay"].Calls[0].Arguments, (std::vector<int>{0, 1}));
  EXPECT_TRUE(S["step"].Backward);
  EXPECT_TRUE(S["step"].OptimizerStep);
  EXPECT_TRUE(S["step"].GradientReset);
  EXPECT_FALSE(S["evaluate"].Backward);
  EXPECT_TRUE(S["evaluate"].GradOffBody);
  EXPECT_FALSE(S["evaluate"].Forward);
  const std::vector<SummaryCall> &Calls = S["driver"].Calls;
  ASSERT_EQ(Calls.size(), 3u);
  EXPECT_TRUE(Calls[0].GradOff && !Calls[0].Escape);
  EXPECT_FALSE(Calls[1].GradOff || Calls[1].Escape);
  EXPECT_TRUE(Calls[2].Escape);
  EXPECT_EQ(Calls[1].At.Line, 24u);
}

TEST(SummariserTest, ParameterUpdates) {
  auto S = summariesOf(R"cpp(
#include <torch/torch.h>
void sgd_in_place(torch::nn::Linear net, double lr) {
  torch::NoGradGuard guard;
  for (auto &p : net->parameters())
    p.sub_(lr * p.grad());
}
void sgd_compound(torch::nn::Linear net, double lr) {
  for (auto &p : net->parameters())
    p -= lr * p.grad();
}
void rebinds(torch::nn::Linear net, double lr) {
  for (auto p : net->parameters())
    p = p - lr * p.grad();
}
void copies(torch::nn::Linear net, torch::Tensor x) {
  torch::Tensor y = x.clone();
  y.add_(1);
}
void calls_update(torch::nn::Linear net) { sgd_in_place(net, 0.1); }
)cpp");
  EXPECT_TRUE(S["sgd_in_place"].UpdatesParameters);
  EXPECT_TRUE(S["sgd_compound"].UpdatesParameters);
  // Rebinding a handle and updating a tensor of one's own change no
  // parameter.
  EXPECT_FALSE(S["rebinds"].UpdatesParameters);
  EXPECT_FALSE(S["copies"].UpdatesParameters);
  // Through a call of the same file: the fixed point of the merge adds it.
  EXPECT_FALSE(S["calls_update"].UpdatesParameters);
  ProjectSummaries Project;
  for (auto &[Name, Summary] : S)
    Project.add(Summary);
  Project.solve();
  for (const FunctionSummary &F : Project.functions()) {
    if (F.Name == "calls_update") {
      EXPECT_TRUE(F.UpdatesParameters);
    }
  }
}
