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
