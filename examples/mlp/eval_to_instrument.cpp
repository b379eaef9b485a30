// eval_leaky.cpp without the probe: no marker, no probe #include, and a loop
// body without braces. The end-to-end test writes an instrumented copy with
// `torch-tidy --instrument-dir`, builds it (target mlp_eval_instrumented),
// runs it and confirms the finding: confirming without editing by hand.
#include "mlp.h"

#include <iostream>
#include <vector>

int main(int argc, char **argv) {
  const int iterations = iterationsFromArgs(argc, argv, 30);
  torch::manual_seed(0);
  Mlp model;
  model->eval();

  std::vector<torch::Tensor> logits;
  for (int i = 0; i < iterations; ++i)
    logits.push_back(model(syntheticBatch(i)));

  torch::Tensor counts = torch::bincount(torch::cat(logits).argmax(1), {}, 10);
  printClassCounts(counts);
  return 0;
}
