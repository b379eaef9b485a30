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
