// RUN: %check_torch_tidy %s torch-graph-kept-across-iterations %t -- %torch_include

#include <torch/script.h>
#include <torch/torch.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
TORCH_MODULE(Net);

std::vector<torch::Tensor> GlobalOutputs;
bool more_batches(torch::Tensor &batch);
torch::Tensor make_batch(int i);

// ---------------------------------------------------------------------------
// Positives
// ---------------------------------------------------------------------------

void accumulateLossAfterBackward(Net model, torch::Tensor x, torch::Tensor y) {
  torch::Tensor total = torch::zeros({1});
  for (int i = 0; i < 100; ++i) {
    auto loss = torch::mse_loss(model(x), y);
    loss.backward();
    total += loss;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'total' accumulates a tensor that carries an autograd graph, so the graph of every iteration stays alive; accumulate a detached value ('.detach()', or '.item<float>()' for a scalar) [torch-graph-kept-across-iterations]
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: graphs pile up across the iterations of this loop
    // CHECK-FIXES: {{^}}    total += loss.detach();{{$}}
  }
}

void accumulateBySelfAddition(Net model, torch::Tensor x, torch::Tensor y) {
  auto total = torch::zeros({1});
  for (int i = 0; i < 100; ++i) {
    auto loss = torch::mse_loss(model->forward(x), y);
    total = total + loss;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'total' accumulates a tensor that carries an autograd graph
    // CHECK-FIXES: {{^}}    total = total + loss.detach();{{$}}
  }
}

double evalKeepsOutputs(Net model) {
  model->eval();
  std::vector<torch::Tensor> predictions;
  for (int i = 0; i < 100; ++i) {
    auto out = model(make_batch(i));
    predictions.push_back(out);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'predictions' outlives the loop iteration and each appended tensor carries its autograd graph, so the graph of every iteration stays alive; append '.detach()' or compute it under 'torch::NoGradGuard' [torch-graph-kept-across-iterations]
    // CHECK-FIXES: {{^}}    predictions.push_back(out.detach());{{$}}
  }
  return torch::cat(predictions).mean().item<double>();
}

void emplaceThroughSharedPtr(std::shared_ptr<NetImpl> model) {
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 10; ++i)
    outputs.emplace_back(model->forward(make_batch(i)));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'outputs' outlives the loop iteration
}

class Trainer {
public:
  void run(Net model, torch::Tensor x, torch::Tensor y) {
    for (int step = 0; step < 1000; ++step) {
      auto loss = torch::mse_loss(model(x), y);
      loss.backward();
      history_.push_back(loss);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'history_' outlives the loop iteration
    }
  }

private:
  std::vector<torch::Tensor> history_;
};

void staticInsideTheLoop(Net model) {
  for (int i = 0; i < 10; ++i) {
    static std::vector<torch::Tensor> kept;
    kept.push_back(model(make_batch(i)));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'kept' outlives the loop iteration
  }
}

void intoAGlobal(Net model) {
  for (int i = 0; i < 10; ++i)
    GlobalOutputs.push_back(model(make_batch(i)));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'GlobalOutputs' outlives the loop iteration
}

void whileLoaderLoop(Net model, torch::Tensor y) {
  torch::Tensor batch;
  torch::Tensor epoch_loss = torch::zeros({});
  while (more_batches(batch)) {
    torch::Tensor loss = torch::nll_loss(model(batch), y);
    epoch_loss += loss;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'epoch_loss' accumulates
  }
}

void rangeForOverBatches(Net model, const std::vector<torch::Tensor> &batches) {
  std::vector<torch::Tensor> logits;
  for (const auto &batch : batches) {
    logits.push_back(model(batch));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'logits' outlives the loop iteration
  }
}

void doWhileLoop(Net model, torch::Tensor x) {
  torch::Tensor acc = torch::zeros({1});
  int i = 0;
  do {
    acc.add_(model(x).sum());
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'acc' accumulates
  } while (++i < 10);
}

void nestedEpochAndBatchLoops(Net model, torch::Tensor x, torch::Tensor y) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    torch::Tensor epoch_total = torch::zeros({});
    for (int b = 0; b < 100; ++b) {
      auto loss = torch::mse_loss(model(x), y);
      loss.backward();
      epoch_total += loss;
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'epoch_total' accumulates
      // CHECK-MESSAGES: :[[@LINE-5]]:5: note: graphs pile up across the iterations of this loop
    }
  }
}

torch::Tensor trainStep(Net &model, torch::Tensor x, torch::Tensor y) {
  auto loss = torch::mse_loss(model(x), y);
  loss.backward();
  return loss;
}

void lossFromAHelper(Net model, torch::Tensor x, torch::Tensor y) {
  torch::Tensor running = torch::zeros({});
  for (int i = 0; i < 10; ++i) {
    torch::Tensor loss = trainStep(model, x, y);
    running += loss;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'running' accumulates
  }
}

void forwardInALambda(Net model) {
  auto predict = [&](torch::Tensor in) { return model(in); };
  std::vector<torch::Tensor> outs;
  for (int i = 0; i < 10; ++i)
    outs.push_back(predict(make_batch(i)));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'outs' outlives the loop iteration
}

void leafThatRequiresGrad() {
  auto w = torch::randn({3}, torch::requires_grad());
  torch::Tensor acc = torch::zeros({3});
  for (int i = 0; i < 10; ++i)
    acc += w * make_batch(i);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'acc' accumulates
}

void intoACallersContainer(Net model, std::vector<torch::Tensor> &out) {
  for (int i = 0; i < 10; ++i)
    out.push_back(model(make_batch(i)));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'out' outlives the loop iteration
}

void recurrentStateNotDetached(torch::nn::GRUCell cell, torch::Tensor h) {
  for (int t = 0; t < 1000; ++t) {
    h = cell(make_batch(t), h);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'h' is computed from its own previous value with autograd on, so the graphs of all iterations stay chained and alive; detach it once per iteration ('.detach_()') [torch-graph-kept-across-iterations]
  }
}

void scriptModuleOutputs(torch::jit::script::Module module) {
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 10; ++i) {
    std::vector<torch::jit::IValue> inputs{make_batch(i)};
    outputs.push_back(module.forward(inputs).toTensor());
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'outputs' outlives the loop iteration
  }
}

void throughATernary(Net model, bool keep_loss, torch::Tensor y) {
  std::vector<torch::Tensor> kept;
  for (int i = 0; i < 10; ++i) {
    auto out = model(make_batch(i));
    auto chosen = keep_loss ? torch::mse_loss(out, y) : out;
    kept.push_back(chosen);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'kept' outlives the loop iteration
  }
}

void guardEndedBeforeTheForward(Net model) {
  std::vector<torch::Tensor> outs;
  for (int i = 0; i < 10; ++i) {
    {
      torch::NoGradGuard no_grad;
      make_batch(i);
    }
    outs.push_back(model(make_batch(i)));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'outs' outlives the loop iteration
  }
}

void runningStatisticByHand(Net model) {
  torch::Tensor running_mean = torch::zeros({10});
  for (int i = 0; i < 30; ++i) {
    torch::Tensor logits = model(make_batch(i));
    running_mean = 0.9 * running_mean + 0.1 * logits;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'running_mean' is computed from its own previous value with autograd on
  }
}

void gradTurnedBackOn(Net model) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> outs;
  for (int i = 0; i < 10; ++i) {
    torch::AutoGradMode enable_grad(true);
    outs.push_back(model(make_batch(i)));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'outs' outlives the loop iteration
  }
}

// A loop that runs its own backward and step each iteration builds no graph
// for after the loop, so returning what it kept is no excuse. The probe
// measured +6.0 KiB/iteration of host heap (graph nodes) for the returned
// losses and +2.5 KiB/iteration of tensors for the returned logits (an
// MLP, 40 iterations).
std::vector<torch::Tensor> historyAfterBackward(Net model,
                                                torch::optim::SGD &opt,
                                                torch::Tensor x,
                                                torch::Tensor y) {
  std::vector<torch::Tensor> hist;
  for (int i = 0; i < 40; ++i) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model->forward(x), y);
    loss.backward();
    opt.step();
    hist.push_back(loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'hist' outlives the loop iteration and each appended tensor carries its autograd graph
    // CHECK-MESSAGES: :[[@LINE-7]]:3: note: graphs pile up across the iterations of this loop
    // CHECK-FIXES: {{^}}    hist.push_back(loss.detach());{{$}}
  }
  return hist;
}

std::vector<torch::Tensor> logitsBeforeBackward(Net model,
                                                torch::optim::SGD &opt,
                                                torch::Tensor x,
                                                torch::Tensor y) {
  std::vector<torch::Tensor> seen;
  for (int i = 0; i < 40; ++i) {
    auto logits = model->forward(x);
    seen.push_back(logits);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'seen' outlives the loop iteration and each appended tensor carries its autograd graph
    // CHECK-FIXES: {{^}}    seen.push_back(logits.detach());{{$}}
    auto loss = torch::mse_loss(logits, y);
    opt.zero_grad();
    loss.backward();
    opt.step();
  }
  return seen;
}

torch::Tensor totalReturned(Net model, torch::optim::SGD &opt, torch::Tensor x,
                            torch::Tensor y) {
  torch::Tensor total = torch::zeros({1});
  for (int i = 0; i < 40; ++i) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model->forward(x), y);
    loss.backward();
    opt.step();
    total += loss;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'total' accumulates a tensor that carries an autograd graph
    // CHECK-FIXES: {{^}}    total += loss.detach();{{$}}
  }
  return total;
}

// The step alone (backward in a helper of another file) also ends the
// iteration's graph.
void backwardElsewhere(torch::Tensor loss);
torch::Tensor stepOnly(Net model, torch::optim::SGD &opt, torch::Tensor x,
                       torch::Tensor y) {
  torch::Tensor total = torch::zeros({1});
  for (int i = 0; i < 40; ++i) {
    auto loss = torch::mse_loss(model->forward(x), y);
    backwardElsewhere(loss);
    opt.step();
    total = total + loss;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'total' accumulates a tensor that carries an autograd graph
    // CHECK-FIXES: {{^}}    total = total + loss.detach();{{$}}
  }
  return total;
}

// Recurrent state read back from the output of a call that took it
// (pytorch/pytorch#2198): the new state is computed from the old one
// through a local variable of the iteration.
void lstmStateThroughOutput(torch::nn::LSTM lstm, torch::Tensor target) {
  torch::Tensor h = torch::zeros({1, 8, 64});
  torch::Tensor c = torch::zeros({1, 8, 64});
  for (int step = 0; step < 100; ++step) {
    auto out = lstm->forward(make_batch(step), std::make_tuple(h, c));
    h = std::get<0>(std::get<1>(out));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'h' is computed from its own previous value with autograd on, so the graphs of all iterations stay chained and alive; detach it once per iteration ('.detach_()') [torch-graph-kept-across-iterations]
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: graphs pile up across the iterations of this loop
    c = std::get<1>(std::get<1>(out));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'c' is computed from its own previous value
    // CHECK-MESSAGES: :[[@LINE-7]]:3: note: graphs pile up
    torch::mse_loss(std::get<0>(out), target).backward();
  }
}

void lstmStateTuple(torch::nn::LSTM lstm, torch::Tensor target) {
  std::tuple<torch::Tensor, torch::Tensor> state = {torch::zeros({1, 8, 64}),
                                                     torch::zeros({1, 8, 64})};
  for (int step = 0; step < 100; ++step) {
    auto [output, next] = lstm->forward(make_batch(step), state);
    state = next;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'state' is computed from its own previous value
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: graphs pile up
    torch::mse_loss(output, target).backward();
  }
}

// Truncated backpropagation through time without the truncation: one graph
// per chunk on purpose, but the state carries it into the next chunk.
void stateCarriedAcrossChunks(torch::nn::GRUCell cell, torch::optim::SGD &opt,
                              torch::Tensor target) {
  torch::Tensor h = torch::zeros({1, 8});
  for (int chunk = 0; chunk < 100; ++chunk) {
    torch::Tensor loss = torch::zeros({});
    for (int t = 0; t < 35; ++t) {
      h = cell(make_batch(t), h);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'h' is computed from its own previous value with autograd on and carried into the next round of the enclosing loop, so the graphs of all rounds stay chained and alive; detach it once per round ('.detach_()' after the backward pass) [torch-graph-kept-across-iterations]
      // CHECK-MESSAGES: :[[@LINE-5]]:3: note: graphs pile up across the iterations of this loop
      loss = loss + torch::mse_loss(h, target);
    }
    opt.zero_grad();
    loss.backward();
    opt.step();
  }
}

// A metrics object that writes each minibatch's loss into a member tensor
// (ale-libtorch-ppo's Metrics::set): the write keeps the graph through the
// method called from the loop.
struct MinibatchMetrics {
  torch::Tensor losses = torch::zeros({100});
  void set(int64_t index, const torch::Tensor &loss) {
    losses.index_put_({index}, loss);
  }
};

void metricsThroughMethod(Net model, torch::optim::SGD &opt,
                          MinibatchMetrics &metrics, torch::Tensor y) {
  for (int i = 0; i < 100; ++i) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model(make_batch(i)), y);
    loss.backward();
    opt.step();
    metrics.set(i, loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'losses' is written in place with a tensor that carries an autograd graph
    // CHECK-MESSAGES: :[[@LINE-13]]:5: note: the called function keeps the value here
    // CHECK-MESSAGES: :[[@LINE-8]]:3: note: graphs pile up
    // CHECK-FIXES: {{^}}    metrics.set(i, loss.detach());{{$}}
  }
}

// Each step's loss stored under the step's own key fills a new slot every
// iteration, as an append does (measured: +6.1 KiB/iteration of graph
// nodes for an MLP, confirmed).
void lossPerStepKey(Net model, torch::optim::SGD &opt, torch::Tensor y) {
  std::map<int64_t, torch::Tensor> lossAtStep;
  for (int64_t step = 0; step < 100; ++step) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model(make_batch(step)), y);
    loss.backward();
    opt.step();
    lossAtStep[step] = loss;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'lossAtStep' outlives the loop iteration and each appended tensor carries its autograd graph
    // CHECK-MESSAGES: :[[@LINE-7]]:3: note: graphs pile up
    // CHECK-FIXES: {{^}}    lossAtStep[step] = loss.detach();{{$}}
  }
}

// A training function templated on its data (as pytorch/examples' MNIST
// trainer is on its loader): judged on the instantiation below, where
// `batch` and the loss have their types.
template <typename Batches>
void trainOverBatches(Net model, torch::optim::SGD &opt, Batches &batches) {
  torch::Tensor total = torch::zeros({});
  for (auto &batch : batches) {
    opt.zero_grad();
    auto loss = model(batch).sum();
    loss.backward();
    opt.step();
    total += loss;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'total' accumulates a tensor that carries an autograd graph
    // CHECK-MESSAGES: :[[@LINE-7]]:3: note: graphs pile up
  }
}

void trainsOnAVector(Net model, torch::optim::SGD &opt) {
  std::vector<torch::Tensor> batches;
  trainOverBatches(model, opt, batches);
}

// A statistic folded into a member inside forward (pytorch/pytorch#20275):
// every training step links the batch's graph into the member's history.
struct RunningMeanImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) {
    auto mean = x.mean();
    running_mean = 0.9 * running_mean + 0.1 * mean;
    return x - mean;
  }
  torch::Tensor running_mean = torch::zeros({1});
};
TORCH_MODULE(RunningMean);

void runningStatisticInForward(Net model, RunningMean norm,
                               torch::optim::SGD &opt, torch::Tensor y) {
  for (int i = 0; i < 100; ++i) {
    opt.zero_grad();
    auto loss = torch::mse_loss(norm->forward(model(make_batch(i))), y);
    // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: 'running_mean' is computed from its own previous value
    // CHECK-MESSAGES: :[[@LINE-13]]:5: note: the called function keeps the value here
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: graphs pile up
    loss.backward();
    opt.step();
  }
}

// Values collected for one backward pass after the inner loop (a rollout),
// in a buffer that no round clears (ray-project/ray#6962).
struct RolloutBuffer {
  std::vector<torch::Tensor> values;
  void clear_memory() { values.clear(); }
};

void rolloutBufferNeverCleared(Net actor, Net critic, torch::optim::SGD &opt) {
  RolloutBuffer buffer;
  for (int round = 0; round < 100; ++round) {
    std::vector<torch::Tensor> log_probs;
    for (int t = 0; t < 200; ++t) {
      auto value = critic(make_batch(t));
      buffer.values.push_back(value);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'buffer.values' collects tensors that carry their autograd graphs for one backward pass, but nothing clears it between rounds of the enclosing loop, so the graphs of all rounds stay alive; clear it after each backward pass (or declare it inside that loop) [torch-graph-kept-across-iterations]
      // CHECK-MESSAGES: :[[@LINE-6]]:3: note: graphs pile up across the iterations of this loop
      log_probs.push_back(actor(make_batch(t)));
    }
    auto advantage = torch::stack(buffer.values).detach();
    auto loss = (torch::stack(log_probs) * advantage).mean();
    opt.zero_grad();
    loss.backward();
    opt.step();
  }
}

// ---------------------------------------------------------------------------
// Negatives
// ---------------------------------------------------------------------------

// Names read off parameters are strings: they never carry a graph
// (found in public code that loads a state dict).
void loadWeights(const std::shared_ptr<torch::nn::Module> &model,
                 const std::vector<std::pair<std::string, torch::Tensor>> &w) {
  const torch::OrderedDict<std::string, at::Tensor> &params =
      model->named_parameters();
  std::vector<std::string> names;
  for (auto const &item : params) {
    names.push_back(item.key());
  }
  std::vector<std::size_t> sizes;
  std::vector<std::pair<std::string, std::int64_t>> dims;
  for (auto const &item : params) {
    sizes.push_back(item.value().numel());
    dims.emplace_back(item.key(), item.value().dim());
  }
  (void)w;
}

// A sequence built on purpose in a loop without backward, returned for one
// backward pass by the caller, stays silent (unrolled RNN).
torch::Tensor unrollForLoss(Net cell, torch::Tensor x) {
  std::vector<torch::Tensor> outs;
  for (int t = 0; t < 10; ++t)
    outs.push_back(cell(x));
  return torch::stack(outs);
}

void scalarAccumulation(Net model, torch::Tensor x, torch::Tensor y) {
  float running = 0;
  double running_double = 0;
  float running_template = 0;
  for (int i = 0; i < 10; ++i) {
    auto loss = torch::mse_loss(model(x), y);
    loss.backward();
    running += loss.item<float>();
    running_double += loss.item().toDouble();
    running_template += loss.template item<float>();
  }
}

void detachedAccumulation(Net model, torch::Tensor x, torch::Tensor y) {
  torch::Tensor total = torch::zeros({1});
  std::vector<torch::Tensor> outs;
  for (int i = 0; i < 10; ++i) {
    auto out = model(x);
    auto loss = torch::mse_loss(out, y);
    total += loss.detach();
    outs.push_back(out.detach());
    outs.push_back(out.data());
  }
}

void guardBeforeTheLoop(Net model) {
  torch::NoGradGuard no_grad;
  model->eval();
  std::vector<torch::Tensor> outs;
  for (int i = 0; i < 10; ++i)
    outs.push_back(model(make_batch(i)));
}

void guardInsideTheLoop(Net model) {
  std::vector<torch::Tensor> outs;
  for (int i = 0; i < 10; ++i) {
    torch::NoGradGuard no_grad;
    auto out = model(make_batch(i));
    outs.push_back(out);
  }
}

void otherGradOffSpellings(Net model) {
  std::vector<torch::Tensor> a, b, c;
  for (int i = 0; i < 10; ++i) {
    torch::AutoGradMode grad_off(false);
    a.push_back(model(make_batch(i)));
  }
  for (int i = 0; i < 10; ++i) {
    c10::InferenceMode inference;
    b.push_back(model(make_batch(i)));
  }
  torch::autograd::GradMode::set_enabled(false);
  for (int i = 0; i < 10; ++i)
    c.push_back(model(make_batch(i)));
  torch::autograd::GradMode::set_enabled(true);
}

void plainOverwrite(Net model, torch::Tensor x, torch::Tensor y) {
  torch::Tensor last_loss;
  for (int i = 0; i < 10; ++i) {
    auto loss = torch::mse_loss(model(x), y);
    loss.backward();
    last_loss = loss;
  }
}

void accumulatorInsideTheLoop(Net model, torch::Tensor x, torch::Tensor y) {
  for (int i = 0; i < 10; ++i) {
    torch::Tensor total = torch::zeros({});
    std::vector<torch::Tensor> outs;
    for (int k = 0; k < 3; ++k) {
      (void)k;
    }
    auto loss = torch::mse_loss(model(x), y);
    total += loss;
    outs.push_back(loss);
  }
}

void containerClearedEachIteration(Net model) {
  std::vector<torch::Tensor> outs;
  for (int i = 0; i < 10; ++i) {
    outs.clear();
    outs.push_back(model(make_batch(i)));
  }
}

void truncatedBackpropThroughTime(torch::nn::GRUCell cell, torch::Tensor h,
                                  torch::Tensor target) {
  for (int t = 0; t < 1000; ++t) {
    h = h.detach();
    h = cell(make_batch(t), h);
    torch::mse_loss(h, target).backward();
  }
  torch::Tensor c = torch::zeros({1});
  for (int t = 0; t < 1000; ++t) {
    c = cell(make_batch(t), c);
    c.detach_();
  }
}

void accumulatorResetAfterItsBackward(Net model, torch::Tensor x,
                                      torch::Tensor y) {
  torch::Tensor acc = torch::zeros({});
  for (int i = 0; i < 100; ++i) {
    acc = acc + torch::mse_loss(model(x), y) / 4.0;
    if (i % 4 == 3) {
      acc.backward();
      acc = torch::zeros({});
    }
  }
}

void perTimestepLossesThenBackward(torch::nn::GRUCell cell, torch::Tensor h,
                                   torch::Tensor target) {
  torch::Tensor loss = torch::zeros({});
  for (int t = 0; t < 35; ++t) {
    h = cell(make_batch(t), h);
    loss = loss + torch::mse_loss(h, target);
  }
  loss.backward();
}

struct ResidualStackImpl : torch::nn::Module {
  std::vector<torch::nn::Linear> blocks;
  torch::Tensor forward(torch::Tensor x) {
    for (auto &block : blocks)
      x = x + block->forward(x);
    return x;
  }
};

torch::Tensor unrollSequence(torch::nn::GRUCell cell, torch::Tensor h) {
  std::vector<torch::Tensor> outs;
  for (int t = 0; t < 35; ++t) {
    h = cell(make_batch(t), h);
    outs.push_back(h);
  }
  return torch::stack(outs);
}

void boundedGraphConsumedByBackward() {
  auto x = torch::randn({3}, torch::requires_grad());
  auto y = x * 2;
  while (y.norm().item<double>() < 1000)
    y = y * 2;
  y.backward(torch::ones({3}));
}

void dataWithoutGrad(Net model) {
  std::vector<torch::Tensor> batches;
  torch::Tensor sum = torch::zeros({1});
  for (int i = 0; i < 10; ++i) {
    batches.push_back(torch::randn({2}));
    sum += make_batch(i);
  }
}

void metricsAsNumbers(Net model, torch::Tensor y) {
  std::vector<float> losses;
  for (int i = 0; i < 10; ++i) {
    auto loss = torch::mse_loss(model(make_batch(i)), y);
    loss.backward();
    losses.push_back(loss.item<float>());
  }
}

void ganDiscriminatorOnDetachedFakes(Net generator, Net discriminator,
                                     torch::optim::Adam &d_opt) {
  for (int i = 0; i < 10; ++i) {
    auto fake = generator(make_batch(i));
    auto d_loss = discriminator(fake.detach()).mean();
    d_loss.backward();
    d_opt.step();
  }
}

void predictionsAsClasses(Net model) {
  std::vector<torch::Tensor> classes;
  for (int i = 0; i < 10; ++i)
    classes.push_back(model(make_batch(i)).argmax(1));
}

// The fixed forms of the loops that train and keep: detached values, a
// number, or kept outputs computed without autograd.
std::vector<torch::Tensor> historyDetached(Net model, torch::optim::SGD &opt,
                                           torch::Tensor x, torch::Tensor y) {
  std::vector<torch::Tensor> hist;
  for (int i = 0; i < 40; ++i) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model->forward(x), y);
    loss.backward();
    opt.step();
    hist.push_back(loss.detach());
  }
  return hist;
}

std::vector<float> historyAsNumbers(Net model, torch::optim::SGD &opt,
                                    torch::Tensor x, torch::Tensor y) {
  std::vector<float> hist;
  for (int i = 0; i < 40; ++i) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model->forward(x), y);
    loss.backward();
    opt.step();
    hist.push_back(loss.item<float>());
  }
  return hist;
}

torch::Tensor totalDetached(Net model, torch::optim::SGD &opt, torch::Tensor x,
                            torch::Tensor y) {
  torch::Tensor total = torch::zeros({1});
  for (int i = 0; i < 40; ++i) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model->forward(x), y);
    loss.backward();
    opt.step();
    total += loss.detach();
  }
  return total;
}

// Every caller holds the guard: the outputs carry no graph (the runtime
// measured no growth and grad mode off in bench/agreement's
// eval_push_out_local_for_caller_d0).
double collectUnderCallersGuard(Net model) {
  std::vector<torch::Tensor> outs;
  for (int i = 0; i < 10; ++i) {
    auto out = model(make_batch(i));
    outs.push_back(out);
  }
  return torch::cat(outs).mean().item<double>();
}
double guardedCaller(Net model) {
  torch::NoGradGuard no_grad;
  return collectUnderCallersGuard(model);
}

// Parameters are leaves: a list of them, built for an optimizer, keeps no
// graph (found in public Mask R-CNN code).
void optimizerFromList(Net model, double lr) {
  std::vector<torch::Tensor> trainable;
  for (auto &p : model->parameters())
    trainable.push_back(p);
  torch::optim::SGD opt(trainable, torch::optim::SGDOptions(lr));
  (void)opt;
}

// ---------------------------------------------------------------------------
// Kept through a helper, a lambda, a member function or a map value (the
// runtime measured each of these growing in bench/agreement: 11.6-14.2 KiB
// of graph nodes per iteration).
// ---------------------------------------------------------------------------

static void rememberLoss(std::vector<torch::Tensor> &c, const torch::Tensor &v) {
  c.push_back(v);
}

void keepThroughHelper(Net model, torch::optim::SGD &opt, torch::Tensor x,
                       torch::Tensor y) {
  std::vector<torch::Tensor> history;
  for (int i = 0; i < 100; ++i) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model(x), y);
    loss.backward();
    opt.step();
    rememberLoss(history, loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'history' outlives the loop iteration and each appended tensor carries its autograd graph, so the graph of every iteration stays alive; append '.detach()' or compute it under 'torch::NoGradGuard' [torch-graph-kept-across-iterations]
    // CHECK-MESSAGES: :[[@LINE-13]]:3: note: the called function keeps the value here
    // CHECK-MESSAGES: :[[@LINE-8]]:3: note: graphs pile up across the iterations of this loop
    // CHECK-FIXES: {{^}}    rememberLoss(history, loss.detach());{{$}}
  }
}

static void averageInner(torch::Tensor &c, const torch::Tensor &v) {
  c = 0.9 * c + 0.1 * v;
}
static void averageOuter(torch::Tensor &c, const torch::Tensor &v) {
  averageInner(c, v);
}

void keepThroughTwoHelpers(Net model, torch::optim::SGD &opt, torch::Tensor x,
                           torch::Tensor y) {
  torch::Tensor smoothed = torch::zeros({});
  for (int i = 0; i < 100; ++i) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model(x), y);
    loss.backward();
    opt.step();
    averageOuter(smoothed, loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'smoothed' is computed from its own previous value with autograd on
    // CHECK-MESSAGES: :[[@LINE-16]]:3: note: the called function keeps the value here
    // CHECK-MESSAGES: :[[@LINE-8]]:3: note: graphs pile up across the iterations of this loop
  }
}

static void cacheOutput(const torch::Tensor &out) {
  static std::vector<torch::Tensor> cache;
  cache.push_back(out);
}

void keepInHelpersStatic(Net model) {
  for (int i = 0; i < 10; ++i) {
    auto out = model(make_batch(i));
    cacheOutput(out);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cache' outlives the loop iteration and each appended tensor carries its autograd graph
    // CHECK-MESSAGES: :[[@LINE-8]]:3: note: the called function keeps the value here
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: graphs pile up across the iterations of this loop
    // CHECK-FIXES: {{^}}    cacheOutput(out.detach());{{$}}
  }
}

void keepThroughLambda(Net model, torch::optim::SGD &opt, torch::Tensor x,
                       torch::Tensor y) {
  torch::Tensor kept = torch::zeros({});
  auto keep = [&kept](const torch::Tensor &v) { kept += v; };
  for (int i = 0; i < 100; ++i) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model(x), y);
    loss.backward();
    opt.step();
    keep(loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'kept' accumulates a tensor that carries an autograd graph
    // CHECK-MESSAGES: :[[@LINE-8]]:49: note: the called function keeps the value here
    // CHECK-MESSAGES: :[[@LINE-8]]:3: note: graphs pile up across the iterations of this loop
    // CHECK-FIXES: {{^}}    keep(loss.detach());{{$}}
  }
}

struct LossRecorder {
  std::vector<torch::Tensor> losses_;
  void add(const torch::Tensor &loss) { losses_.push_back(loss); }
};

void keepThroughMethod(Net model, torch::optim::SGD &opt, torch::Tensor x,
                       torch::Tensor y) {
  LossRecorder recorder;
  for (int i = 0; i < 100; ++i) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model(x), y);
    loss.backward();
    opt.step();
    recorder.add(loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'losses_' outlives the loop iteration and each appended tensor carries its autograd graph
    // CHECK-MESSAGES: :[[@LINE-13]]:41: note: the called function keeps the value here
    // CHECK-MESSAGES: :[[@LINE-8]]:3: note: graphs pile up across the iterations of this loop
    // CHECK-FIXES: {{^}}    recorder.add(loss.detach());{{$}}
  }
}

void keepInMapValue(Net model, torch::optim::SGD &opt, torch::Tensor x,
                    torch::Tensor y) {
  std::map<std::string, torch::Tensor> stats;
  stats["loss"] = torch::zeros({});
  for (int i = 0; i < 100; ++i) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model(x), y);
    loss.backward();
    opt.step();
    stats["loss"] += loss;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'stats["loss"]' accumulates a tensor that carries an autograd graph
    // CHECK-MESSAGES: :[[@LINE-7]]:3: note: graphs pile up across the iterations of this loop
    // CHECK-FIXES: {{^}}    stats["loss"] += loss.detach();{{$}}
  }
}

// Negatives: the helper detaches, clears first, keeps a number or keeps
// only in its own local; the loop passes a detached value; the lambda's
// container lives in the iteration.

static void rememberDetached(std::vector<torch::Tensor> &c,
                             const torch::Tensor &v) {
  c.push_back(v.detach());
}
static void rememberLast(std::vector<torch::Tensor> &c, const torch::Tensor &v) {
  c.clear();
  c.push_back(v);
}
static void rememberNumber(std::vector<double> &c, double v) { c.push_back(v); }
static double sumLocally(const torch::Tensor &v) {
  std::vector<torch::Tensor> local;
  local.push_back(v);
  return local.size();
}

void helpersThatKeepNoGraph(Net model, torch::optim::SGD &opt, torch::Tensor x,
                            torch::Tensor y) {
  std::vector<torch::Tensor> history, last, detached;
  std::vector<double> numbers;
  for (int i = 0; i < 100; ++i) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model(x), y);
    loss.backward();
    opt.step();
    rememberDetached(history, loss);
    rememberLast(last, loss);
    rememberNumber(numbers, loss.item<double>());
    sumLocally(loss);
    rememberLoss(detached, loss.detach());
    std::vector<torch::Tensor> perIteration;
    auto keep = [&perIteration](const torch::Tensor &v) {
      perIteration.push_back(v);
    };
    keep(loss);
  }
}

void mapValueResetEachIteration(Net model, torch::optim::SGD &opt,
                                torch::Tensor x, torch::Tensor y) {
  std::map<std::string, torch::Tensor> last;
  for (int i = 0; i < 100; ++i) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model(x), y);
    loss.backward();
    opt.step();
    last["loss"] = loss;
  }
}

// A method that records a graph itself and keeps it in a member, called per
// request from a loop (bench/agreement's execute_push_out_none_*: +74-76
// KiB per iteration).
class OutputKeepingService {
public:
  void Execute(const torch::Tensor &batch) {
    torch::Tensor out = model_->forward(batch);
    results_.push_back(out);
  }

private:
  Net model_;
  std::vector<torch::Tensor> results_;
};

void serveRequests(OutputKeepingService &service) {
  for (int i = 0; i < 10; ++i) {
    service.Execute(make_batch(i));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'results_' outlives the loop iteration and each appended tensor carries its autograd graph
    // CHECK-MESSAGES: :[[@LINE-12]]:5: note: the called function keeps the value here
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: graphs pile up across the iterations of this loop
  }
}

// The same service called with autograd off, or guarding itself: no graph.
void serveRequestsGuarded(OutputKeepingService &service) {
  torch::NoGradGuard no_grad;
  for (int i = 0; i < 10; ++i)
    service.Execute(make_batch(i));
}

class GuardedService {
public:
  void Execute(const torch::Tensor &batch) {
    torch::NoGradGuard no_grad;
    results_.push_back(model_->forward(batch));
  }

private:
  Net model_;
  std::vector<torch::Tensor> results_;
};

void serveGuardedService(GuardedService &service) {
  for (int i = 0; i < 10; ++i)
    service.Execute(make_batch(i));
}

// Written in place into a tensor that outlives the loop: autograd links
// each write's source into the tensor's history (public PPO code's metrics
// tensor: +6.7 KiB per iteration of graph nodes, flat with '.detach()';
// `losses[i] = loss` and `losses.select(0, i).copy_(loss)` after an MLP's
// training step: +7.1 KiB per iteration each, confirmed, and flat with
// `loss.detach()`).
void lossesWrittenIntoTensor(Net model, torch::optim::SGD &opt,
                             torch::Tensor x, torch::Tensor y) {
  torch::Tensor losses = torch::zeros({100});
  for (int i = 0; i < 100; ++i) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model(x), y);
    loss.backward();
    opt.step();
    losses.index_put_({i}, loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'losses' is written in place with a tensor that carries an autograd graph, which links that graph into the history of 'losses', so the graph of every iteration stays alive; write a detached value ('.detach()') [torch-graph-kept-across-iterations]
    // CHECK-MESSAGES: :[[@LINE-7]]:3: note: graphs pile up across the iterations of this loop
    // CHECK-FIXES: {{^}}    losses.index_put_({i}, loss.detach());{{$}}
    losses[i] = loss;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'losses' is written in place with a tensor that carries an autograd graph
    // CHECK-MESSAGES: :[[@LINE-11]]:3: note: graphs pile up across the iterations of this loop
    // CHECK-FIXES: {{^}}    losses[i] = loss.detach();{{$}}
    losses.select(0, i).copy_(loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'losses' is written in place with a tensor that carries an autograd graph
    // CHECK-MESSAGES: :[[@LINE-15]]:3: note: graphs pile up across the iterations of this loop
    // CHECK-FIXES: {{^}}    losses.select(0, i).copy_(loss.detach());{{$}}
  }
}

// Detached writes, writes into a tensor of the iteration, and writes of a
// value without a graph keep nothing.
void lossesWrittenDetached(Net model, torch::optim::SGD &opt, torch::Tensor x,
                           torch::Tensor y) {
  torch::Tensor losses = torch::zeros({100});
  for (int i = 0; i < 100; ++i) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model(x), y);
    loss.backward();
    opt.step();
    losses.index_put_({i}, loss.detach());
    losses[i] = loss.detach();
    torch::Tensor row = torch::zeros({1});
    row.copy_(loss);
    losses.select(0, i).copy_(x.sum());
  }
}

// State detached as it enters the cell starts a new graph each iteration
// (bench/agreement's rnn_detach_* variants: flat at the runtime).
void stateDetachedOnEntry(torch::nn::GRUCell cell, torch::Tensor h,
                          torch::Tensor target) {
  for (int t = 0; t < 1000; ++t) {
    h = cell(make_batch(t), h.detach());
    torch::mse_loss(h, target).backward();
  }
}

// The same forms, bounded: state detached as it enters the LSTM, a
// statistic updated under a guard, a buffer cleared after each update.
void lstmStateDetachedOnEntry(torch::nn::LSTM lstm, torch::Tensor target) {
  torch::Tensor h = torch::zeros({1, 8, 64});
  torch::Tensor c = torch::zeros({1, 8, 64});
  for (int step = 0; step < 100; ++step) {
    auto out = lstm->forward(make_batch(step),
                             std::make_tuple(h.detach(), c.detach()));
    h = std::get<0>(std::get<1>(out));
    c = std::get<1>(std::get<1>(out));
    torch::mse_loss(std::get<0>(out), target).backward();
  }
}

struct GuardedRunningMeanImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) {
    auto mean = x.mean();
    {
      torch::NoGradGuard no_grad;
      running_mean = 0.9 * running_mean + 0.1 * mean;
    }
    return x - mean;
  }
  torch::Tensor running_mean = torch::zeros({1});
};
TORCH_MODULE(GuardedRunningMean);

void guardedRunningStatistic(Net model, GuardedRunningMean norm,
                             torch::optim::SGD &opt, torch::Tensor y) {
  for (int i = 0; i < 100; ++i) {
    opt.zero_grad();
    auto loss = torch::mse_loss(norm->forward(model(make_batch(i))), y);
    loss.backward();
    opt.step();
  }
}

void rolloutBufferClearedEachRound(Net actor, Net critic,
                                   torch::optim::SGD &opt) {
  RolloutBuffer buffer;
  for (int round = 0; round < 100; ++round) {
    std::vector<torch::Tensor> log_probs;
    for (int t = 0; t < 200; ++t) {
      buffer.values.push_back(critic(make_batch(t)));
      log_probs.push_back(actor(make_batch(t)));
    }
    auto advantage = torch::stack(buffer.values).detach();
    auto loss = (torch::stack(log_probs) * advantage).mean();
    opt.zero_grad();
    loss.backward();
    opt.step();
    buffer.values.clear();
  }
}

// Boolean and integer results hold no graph (measured on libtorch 1.13:
// no grad_fn): comparisons, torch::argmax, a conversion to an integer type.
void countsWithoutGraphs(Net model, torch::optim::SGD &opt, torch::Tensor y) {
  torch::Tensor positives = torch::zeros({});
  torch::Tensor correct = torch::zeros({});
  std::vector<torch::Tensor> predictions;
  for (int i = 0; i < 100; ++i) {
    opt.zero_grad();
    auto out = model(make_batch(i));
    torch::mse_loss(out, y).backward();
    opt.step();
    positives += (out > 0.5).sum();
    correct += (torch::argmax(out, 1) == y).sum();
    predictions.push_back(torch::argmax(out, 1));
    predictions.push_back(out.to(torch::kLong));
    predictions.push_back(out.softmax(1).multinomial(1));
    predictions.push_back(torch::zeros_like(out));
  }
}

// Cleared through the buffer's own method, named for what it does.
void rolloutBufferClearedByItsMethod(Net critic, torch::optim::SGD &opt) {
  RolloutBuffer memory;
  for (int round = 0; round < 100; ++round) {
    for (int t = 0; t < 200; ++t)
      memory.values.push_back(critic(make_batch(t)));
    auto loss = torch::stack(memory.values).mean();
    opt.zero_grad();
    loss.backward();
    opt.step();
    memory.clear_memory();
  }
}

// The truncation: the state is detached once per chunk.
void stateDetachedPerChunk(torch::nn::GRUCell cell, torch::optim::SGD &opt,
                           torch::Tensor target) {
  torch::Tensor h = torch::zeros({1, 8});
  for (int chunk = 0; chunk < 100; ++chunk) {
    torch::Tensor loss = torch::zeros({});
    for (int t = 0; t < 35; ++t) {
      h = cell(make_batch(t), h);
      loss = loss + torch::mse_loss(h, target);
    }
    opt.zero_grad();
    loss.backward();
    opt.step();
    h.detach_();
  }
}

// The same template, summing numbers.
template <typename Batches>
double trainOverBatchesLogged(Net model, torch::optim::SGD &opt,
                              Batches &batches) {
  double total = 0;
  for (auto &batch : batches) {
    opt.zero_grad();
    auto loss = model(batch).sum();
    loss.backward();
    opt.step();
    total += loss.template item<double>();
  }
  return total;
}

double trainsOnAVectorLogged(Net model, torch::optim::SGD &opt) {
  std::vector<torch::Tensor> batches;
  return trainOverBatchesLogged(model, opt, batches);
}

// A decoder's forward writes each step's prediction into a tensor and
// returns it: one graph for the caller's backward (pytorch-cpp's image
// captioning decoder).
struct StepDecoderImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor features) {
    torch::Tensor predictions = torch::zeros({20, 10});
    for (int64_t i = 0; i < 20; ++i)
      predictions.index_put_({i}, cell(features));
    return predictions;
  }
  Net cell;
};

// Style transfer: the input image is optimised with the model in eval
// mode; the losses over the feature maps are summed in an inner loop and
// fed to one backward pass per step (pytorch-cpp's neural style transfer).
// Probed (an MLP, 5 layers' losses a step, 40 steps): flat, +281 B per
// iteration of host heap, no tensor growth.
void optimiseImageInEvalMode(Net model, torch::Tensor image,
                             torch::optim::SGD &opt) {
  model->eval();
  for (int step = 0; step < 100; ++step) {
    torch::Tensor style_loss = torch::zeros({1});
    for (int layer = 0; layer < 5; ++layer)
      style_loss += model(image).sum();
    opt.zero_grad();
    style_loss.backward();
    opt.step();
  }
}

// A constant key overwrites one slot; a detached value keeps no graph.
void lossUnderOneKey(Net model, torch::optim::SGD &opt, torch::Tensor y) {
  std::map<std::string, torch::Tensor> last;
  std::map<int64_t, torch::Tensor> lossAtStep;
  for (int64_t step = 0; step < 100; ++step) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model(make_batch(step)), y);
    loss.backward();
    opt.step();
    last["loss"] = loss;
    lossAtStep[step] = loss.detach();
  }
}

// A function that hands out a reference to its own static is that storage:
// every call appends to the same vector (issue #21's record_loss, measured
// +6.0 KiB/iteration with the probe).
std::vector<torch::Tensor> &lossHistory() {
  static std::vector<torch::Tensor> kept;
  return kept;
}

void historyThroughAccessor(Net model, torch::optim::SGD &opt,
                            torch::Tensor y) {
  for (int64_t step = 0; step < 100; ++step) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model(make_batch(step)), y);
    loss.backward();
    opt.step();
    lossHistory().push_back(loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'lossHistory()' outlives the loop iteration and each appended tensor carries its autograd graph
    // CHECK-MESSAGES: :[[@LINE-7]]:3: note: graphs pile up across the iterations of this loop
    lossHistory().push_back(loss.detach());
  }
}
