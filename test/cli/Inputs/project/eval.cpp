#include "trainer.h"

double accuracy(Net &net, const std::vector<Batch> &batches) {
  net->eval();
  double correct = 0;
  for (const Batch &b : batches)
    correct += net->forward(b.data).argmax(1).eq(b.target).sum().item<double>();
  return correct;
}

double accuracy_on_holdout(Net &net, const std::vector<Batch> &batches) {
  net->eval();
  double correct = 0;
  for (const Batch &b : batches)
    correct += net->forward(b.data).argmax(1).eq(b.target).sum().item<double>();
  return correct;
}

// Each output keeps its graph in the caller's vector unless the caller holds
// a guard: train.cpp calls the first under one, the second without.
void collect_outputs(Net &net, const std::vector<Batch> &batches,
                     std::vector<torch::Tensor> &into) {
  for (const Batch &b : batches)
    into.push_back(net->forward(b.data));
}

void collect_outputs_unguarded(Net &net, const std::vector<Batch> &batches,
                               std::vector<torch::Tensor> &into) {
  for (const Batch &b : batches)
    into.push_back(net->forward(b.data));
}
