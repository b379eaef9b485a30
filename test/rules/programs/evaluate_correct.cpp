// REQUIRES: real-libtorch
// RUN: %check_torch_tidy %s torch-* %t -- %torch_include
//
// Evaluation under a guard held by the caller and by the function itself:
// no finding.

#include <torch/torch.h>

#include <vector>

double evaluate(torch::nn::Sequential &model,
                const std::vector<torch::Tensor> &inputs,
                const std::vector<torch::Tensor> &targets) {
  torch::NoGradGuard no_grad;
  model->eval();
  std::vector<torch::Tensor> predictions;
  for (size_t i = 0; i < inputs.size(); ++i)
    predictions.push_back(model->forward(inputs[i]).argmax(1));
  return torch::cat(predictions).eq(torch::cat(targets)).to(torch::kFloat)
      .mean().item<double>();
}

torch::Tensor embedBatch(torch::nn::Sequential &encoder, const torch::Tensor &x) {
  return encoder->forward(x);
}

std::vector<torch::Tensor> embedAll(torch::nn::Sequential &encoder,
                                    const std::vector<torch::Tensor> &inputs) {
  torch::InferenceMode inference;
  std::vector<torch::Tensor> embeddings;
  for (const torch::Tensor &x : inputs)
    embeddings.push_back(embedBatch(encoder, x));
  return embeddings;
}
