// REQUIRES: real-libtorch
// RUN: %check_torch_tidy %s torch-* %t -- %torch_include
//
// Evaluation that believes eval() turns autograd off, and a guard that is
// destroyed as soon as it is made. The unguarded forward pass and the store
// that keeps its graphs are one defect: one finding, with the forward pass
// as its note.

#include <torch/torch.h>

#include <vector>

double evaluate(torch::nn::Sequential &model,
                const std::vector<torch::Tensor> &inputs,
                const std::vector<torch::Tensor> &targets) {
  model->eval(); // "prevents backprop" (it does not)
  std::vector<torch::Tensor> predictions;
  for (size_t i = 0; i < inputs.size(); ++i) {
    torch::Tensor out = model->forward(inputs[i]);
    predictions.push_back(out);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'predictions' outlives the loop iteration{{.*}} [torch-graph-kept-across-iterations]
    // CHECK-MESSAGES: :[[@LINE-3]]:25: note: this forward pass runs with autograd on{{.*}}(torch-missing-no-grad's finding, reported here)
  }
  torch::Tensor all = torch::cat(predictions);
  return all.argmax(1).eq(torch::cat(targets)).to(torch::kFloat).mean().item<double>();
}

torch::Tensor embed(torch::nn::Sequential &encoder, const torch::Tensor &x) {
  torch::NoGradGuard();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: {{.*}} [torch-unnamed-grad-guard]
  return encoder->forward(x);
}
