#include <torch/torch.h>

#include <vector>

torch::Tensor make_batch(int i);

// Twelve findings, more than GitHub shows as annotations of one kind.
void collectMany(torch::nn::Linear model) {
  std::vector<torch::Tensor> a, b, c, d, e, f, g, h, i, j, k, l;
  for (int n = 0; n < 10; ++n) {
    torch::Tensor out = model(make_batch(n));
    a.push_back(out);
    b.push_back(out);
    c.push_back(out);
    d.push_back(out);
    e.push_back(out);
    f.push_back(out);
    g.push_back(out);
    h.push_back(out);
    i.push_back(out);
    j.push_back(out);
    k.push_back(out);
    l.push_back(out);
  }
}

// A training step in the same file, so the loops above are not inference
// entry points: torch-missing-no-grad stays out of these tests.
void trainStep(torch::Tensor loss, torch::optim::SGD &optimizer) {
  optimizer.zero_grad();
  loss.backward();
  optimizer.step();
}
