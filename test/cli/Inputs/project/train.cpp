#include "trainer.h"

void train(Net net, torch::optim::SGD &opt, const std::vector<Batch> &data,
           std::vector<torch::Tensor> &shadow) {
  for (const Batch &b : data) {
    opt.zero_grad();
    torch::Tensor loss = torch::mse_loss(net->forward(b.data), b.target);
    loss.backward();
    opt.step();
    record_loss(loss);
    print_loss(loss);
    note_loss(loss);
    note_loss_value(loss);
    {
      torch::NoGradGuard g;
      blend_weights(shadow, net, 0.99);
    }
    blend_weights_slow(shadow, net, 0.999);
  }
}

double validate(Net net, const std::vector<Batch> &data) {
  net->eval();
  torch::Tensor total = torch::zeros({});
  for (const Batch &b : data)
    total += batch_loss(net, b);
  torch::Tensor quiet = torch::zeros({});
  for (const Batch &b : data)
    quiet += batch_loss_detached(net, b);
  return total.item<double>() + quiet.item<double>();
}

double validate_relayed(Net net, const std::vector<Batch> &data) {
  net->eval();
  torch::Tensor total = torch::zeros({});
  for (const Batch &b : data)
    total += relay_loss(net, b);
  return total.item<double>();
}

double report(Net net, const std::vector<Batch> &holdout) {
  double guarded = 0;
  {
    torch::NoGradGuard g;
    guarded = accuracy(net, holdout);
  }
  return guarded + accuracy_on_holdout(net, holdout);
}

void average(Net net, std::vector<torch::Tensor> &shadow,
             std::vector<torch::Tensor> &snapshot) {
  blend_list(shadow, net->parameters(), 0.9);
  blend_list_copy(shadow, snapshot, 0.9);
}

void predict_all(Net net, const std::vector<Batch> &data,
                 std::vector<torch::Tensor> &outputs) {
  {
    torch::NoGradGuard g;
    collect_outputs(net, data, outputs);
  }
  collect_outputs_unguarded(net, data, outputs);
}

double report_later(Net net, const std::vector<Batch> &holdout) {
  torch::NoGradGuard g;
  schedule(&accuracy_scheduled);
  Job job = &accuracy_through_pointer;
  return job(net, holdout);
}
