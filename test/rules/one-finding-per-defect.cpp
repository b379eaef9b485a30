// RUN: %check_torch_tidy %s torch-missing-no-grad,torch-graph-kept-across-iterations %t -- %torch_include

// Evaluation code that keeps its outputs across a loop is one defect that
// two checks see. The kept graph is the finding; the forward pass that
// torch-missing-no-grad would report becomes its note. Forward passes that
// no kept graph explains stay torch-missing-no-grad's findings.

#include <torch/torch.h>

#include <vector>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
TORCH_MODULE(Net);

torch::Tensor make_batch(int i);
void report(const torch::Tensor &kept, double score);

// ---------------------------------------------------------------------------
// One defect, one finding
// ---------------------------------------------------------------------------

double evalKeepsOutputs(Net model) {
  model->eval();
  std::vector<torch::Tensor> predictions;
  for (int i = 0; i < 100; ++i) {
    auto out = model(make_batch(i));
    predictions.push_back(out);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'predictions' outlives the loop iteration and each appended tensor carries its autograd graph, so the graph of every iteration stays alive; append '.detach()' or compute it under 'torch::NoGradGuard' [torch-graph-kept-across-iterations]
    // CHECK-MESSAGES: :[[@LINE-3]]:16: note: this forward pass runs with autograd on, which gives the kept tensors their graphs; declare 'torch::NoGradGuard' before it to record none (torch-missing-no-grad's finding, reported here)
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: graphs pile up across the iterations of this loop
    // CHECK-FIXES: {{^}}    predictions.push_back(out.detach());{{$}}
  }
  return torch::cat(predictions).mean().item<double>();
}

// ---------------------------------------------------------------------------
// Two defects, two findings
// ---------------------------------------------------------------------------

// The second loop keeps nothing, but each of its iterations still records
// a graph for nothing: that forward pass is torch-missing-no-grad's own
// finding, and the kept one a note of the kept graph.
void validateTwice(Net model) {
  model->eval();
  std::vector<torch::Tensor> kept;
  for (int i = 0; i < 10; ++i)
    kept.push_back(model(make_batch(i)));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'kept' outlives the loop iteration
  // CHECK-MESSAGES: :[[@LINE-2]]:20: note: this forward pass runs with autograd on
  double score = 0;
  for (int i = 0; i < 10; ++i) {
    torch::Tensor scores = model(make_batch(i));
    // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: forward pass in evaluation code runs with autograd on
    // CHECK-MESSAGES: :[[@LINE-10]]:10: note: evaluation code starts here
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: a graph is recorded in every iteration of this loop
    score += scores.mean().item<double>();
  }
  report(torch::cat(kept), score);
}

// The first batch's outputs are kept once, as a reference: the store runs
// in one iteration, so it need not explain the graph that every other
// iteration records. Both findings stand (the probe: memory rises once,
// the graph-kept finding is not confirmed, grad mode on is).
double driftFromFirstBatch(Net model) {
  model->eval();
  std::vector<torch::Tensor> reference;
  double drift = 0;
  for (int i = 0; i < 10; ++i) {
    torch::Tensor logits = model(make_batch(i));
    // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: forward pass in evaluation code runs with autograd on
    if (reference.empty())
      reference.push_back(logits);
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'reference' outlives the loop iteration
    drift += (logits - reference.front()).mean().item<double>();
  }
  return drift;
}

// A function that returns what its loop keeps builds one graph on purpose
// as far as torch-graph-kept-across-iterations can tell; by its name it is
// evaluation code, so the forward pass is the one finding.
std::vector<torch::Tensor> evaluate(Net model) {
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 10; ++i)
    outputs.push_back(model->forward(make_batch(i)));
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: forward pass in evaluation code runs with autograd on
  return outputs;
}

// ---------------------------------------------------------------------------
// A guard-less path: the callee is the finding, its calls are notes
// ---------------------------------------------------------------------------

torch::Tensor predict(Net model, const torch::Tensor &x) {
  return model(x).softmax(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: forward pass in evaluation code runs with autograd on
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: 'predict' is evaluation code by its name
  // CHECK-MESSAGES: :[[@LINE+6]]:14: note: 'evaluateAll' calls 'predict' here with autograd on, so this call records a graph too; the guard in 'predict' covers it (torch-missing-no-grad's finding, reported here)
}

double evaluateAll(Net model) {
  double total = 0;
  for (int i = 0; i < 10; ++i)
    total += predict(model, make_batch(i)).sum().item<double>();
  return total;
}

// A caller with a forward pass of its own still has a finding, there.
double validateBoth(Net model) {
  double total = predict(model, make_batch(0)).sum().item<double>();
  for (int i = 0; i < 10; ++i)
    total += model(make_batch(i)).sum().item<double>();
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: forward pass in evaluation code runs with autograd on
  return total;
}

// ---------------------------------------------------------------------------
// Negatives: nothing for torch-missing-no-grad to fold in
// ---------------------------------------------------------------------------

double evalUnderNoGrad(Net model) {
  torch::NoGradGuard no_grad;
  model->eval();
  std::vector<torch::Tensor> predictions;
  for (int i = 0; i < 100; ++i)
    predictions.push_back(model(make_batch(i)));
  return torch::cat(predictions).mean().item<double>();
}
