#include "trainer.h"

void blend_weights(std::vector<torch::Tensor> &shadow, Net &net, double d) {
  auto src = net->parameters();
  for (size_t i = 0; i < shadow.size(); ++i)
    shadow[i] = d * shadow[i] + (1 - d) * src[i];
}

void blend_weights_slow(std::vector<torch::Tensor> &shadow, Net &net,
                        double d) {
  auto src = net->parameters();
  for (size_t i = 0; i < shadow.size(); ++i)
    shadow[i] = d * shadow[i] + (1 - d) * src[i];
}

// Judged by what the callers in other files pass: train.cpp passes the
// model's parameters to blend_list, and detached copies to blend_list_copy.
void blend_list(std::vector<torch::Tensor> &shadow,
                std::vector<torch::Tensor> src, double d) {
  for (size_t i = 0; i < shadow.size(); ++i)
    shadow[i] = d * shadow[i] + (1 - d) * src[i];
}

void blend_list_copy(std::vector<torch::Tensor> &shadow,
                     std::vector<torch::Tensor> src, double d) {
  for (size_t i = 0; i < shadow.size(); ++i)
    shadow[i] = d * shadow[i] + (1 - d) * src[i];
}
