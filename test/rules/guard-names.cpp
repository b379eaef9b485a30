// RUN: %check_torch_tidy %s torch-unnamed-grad-guard %t -- %torch_include

// Names a new guard variable must not take, beyond the function's own
// declarations and the names it reads (torch-unnamed-grad-guard.cpp): the
// fix-it of every guard-inserting rule picks its name the same way
// (rules/model/GuardInsertion).

#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
TORCH_MODULE(Net);

// A macro of that name would rewrite the declaration.
#define no_grad false

// A variable would hide a type that the function names later.
struct no_grad_guard {};
torch::Tensor typeTaken(Net model, torch::Tensor x) {
  torch::NoGradGuard();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'torch::NoGradGuard()' is a temporary destroyed {{.*}} ('torch::NoGradGuard no_grad_guard2;')
  // CHECK-FIXES: {{^}}  torch::NoGradGuard no_grad_guard2;{{$}}
  no_grad_guard tag;
  (void)tag;
  return model(x);
}

// A template parameter cannot be redeclared, even when it is not used.
template <typename no_grad_guard>
torch::Tensor templateParameterTaken(Net model, torch::Tensor x) {
  torch::NoGradGuard();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'torch::NoGradGuard()' is a temporary destroyed {{.*}} ('torch::NoGradGuard no_grad_guard2;')
  // CHECK-FIXES: {{^}}  torch::NoGradGuard no_grad_guard2;{{$}}
  return model(x);
}
template torch::Tensor templateParameterTaken<int>(Net, torch::Tensor);

// A function that names neither gets `no_grad_guard`: only the macro is in
// its way.
torch::Tensor onlyMacro(Net model, torch::Tensor x) {
  torch::NoGradGuard();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'torch::NoGradGuard()' is a temporary destroyed {{.*}} ('torch::NoGradGuard no_grad_guard;')
  // CHECK-FIXES: {{^}}  torch::NoGradGuard no_grad_guard;{{$}}
  return model(x);
}
