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

// Handed on by train.cpp under a guard: the first to a scheduler, where it
// may run anywhere; the second through a local pointer that is only called
// there, so it runs with the guard.
double accuracy_scheduled(Net &net, const std::vector<Batch> &batches) {
  double correct = 0;
  for (const Batch &b : batches)
    correct += net->forward(b.data).argmax(1).eq(b.target).sum().item<double>();
  return correct;
}

double accuracy_through_pointer(Net &net, const std::vector<Batch> &batches) {
  double correct = 0;
  for (const Batch &b : batches)
    correct += net->forward(b.data).argmax(1).eq(b.target).sum().item<double>();
  return correct;
}
