#include "trainer.h"

torch::Tensor batch_loss(Net &net, const Batch &batch) {
  return torch::mse_loss(net->forward(batch.data), batch.target);
}

torch::Tensor batch_loss_detached(Net &net, const Batch &batch) {
  return torch::mse_loss(net->forward(batch.data), batch.target).detach();
}
