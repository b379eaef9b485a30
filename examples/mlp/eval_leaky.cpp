// Evaluation that keeps every batch's logits to compute class counts at the
// end. eval() only switches layers like dropout to inference behaviour: it
// does not turn autograd off, so each kept output pins its batch's graph
// and saved activations (about 195 KiB per batch here).
//
// torch-tidy reports the push_back; the probe confirms the growth.
#include "mlp.h"

#include "torch_tidy/probe.h"

#include <iostream>
#include <vector>

int main(int argc, char **argv) {
  const int iterations = iterationsFromArgs(argc, argv, 30);
  torch::manual_seed(0);
  Mlp model;
  model->eval();

  std::vector<torch::Tensor> logits;
  for (int i = 0; i < iterations; ++i) {
    TORCH_TIDY_ITERATION();
    torch::Tensor batch_logits = model(syntheticBatch(i));
    logits.push_back(batch_logits);
  }

  torch::Tensor counts = torch::bincount(torch::cat(logits).argmax(1), {}, 10);
  printClassCounts(counts);
  return 0;
}
