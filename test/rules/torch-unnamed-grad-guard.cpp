// RUN: %check_torch_tidy %s torch-unnamed-grad-guard %t -- %torch_include

#include <torch/script.h>
#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
TORCH_MODULE(Net);

torch::Tensor make_batch(int i);
void consume(const torch::NoGradGuard &guard);

// ---------------------------------------------------------------------------
// Positives
// ---------------------------------------------------------------------------

torch::Tensor evaluate(Net model, torch::Tensor x) {
  torch::NoGradGuard();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'torch::NoGradGuard()' is a temporary destroyed at the end of this statement, so it protects nothing: the rest of the scope still records autograd graphs and keeps their activations alive; declare a named guard ('torch::NoGradGuard no_grad;') [torch-unnamed-grad-guard]
  // CHECK-FIXES: {{^}}  torch::NoGradGuard no_grad;{{$}}
  return model(x);
}

torch::Tensor braces(Net model, torch::Tensor x) {
  torch::NoGradGuard{};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'torch::NoGradGuard{}' is a temporary destroyed at the end of this statement, so it protects nothing
  // CHECK-FIXES: {{^}}  torch::NoGradGuard no_grad;{{$}}
  return model(x);
}

torch::Tensor atSpelling(Net model, torch::Tensor x) {
  at::NoGradGuard( );
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'at::NoGradGuard( )' is a temporary destroyed at the end of this statement, so it protects nothing
  // CHECK-FIXES: {{^}}  at::NoGradGuard no_grad;{{$}}
  return model(x);
}

torch::Tensor c10Spelling(Net model, torch::Tensor x) {
  ::c10::NoGradGuard();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '::c10::NoGradGuard()' is a temporary destroyed at the end of this statement
  // CHECK-FIXES: {{^}}  ::c10::NoGradGuard no_grad;{{$}}
  return model(x);
}

torch::Tensor inferenceMode(Net model, torch::Tensor x) {
  torch::InferenceMode();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'torch::InferenceMode()' is a temporary destroyed at the end of this statement, so it protects nothing: the rest of the scope still records autograd graphs and keeps their activations alive; declare a named guard ('torch::InferenceMode inference_mode;') [torch-unnamed-grad-guard]
  // CHECK-FIXES: {{^}}  torch::InferenceMode inference_mode;{{$}}
  return model(x);
}

torch::Tensor inferenceModeTrue(Net model, torch::Tensor x) {
  c10::InferenceMode(true);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c10::InferenceMode(true)' is a temporary destroyed at the end of this statement, so it protects nothing
  // CHECK-FIXES: {{^}}  c10::InferenceMode inference_mode(true);{{$}}
  return model(x);
}

torch::Tensor autoGradModeOff(Net model, torch::Tensor x) {
  torch::AutoGradMode(false);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'torch::AutoGradMode(false)' is a temporary destroyed at the end of this statement, so it protects nothing: the rest of the scope still records autograd graphs and keeps their activations alive; declare a named guard ('torch::AutoGradMode grad_mode(false);') [torch-unnamed-grad-guard]
  // CHECK-FIXES: {{^}}  torch::AutoGradMode grad_mode(false);{{$}}
  return model(x);
}

torch::Tensor autogradNamespace(Net model, torch::Tensor x) {
  torch::autograd::AutoGradMode(false);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'torch::autograd::AutoGradMode(false)' is a temporary destroyed at the end of this statement, so it protects nothing
  // CHECK-FIXES: {{^}}  torch::autograd::AutoGradMode grad_mode(false);{{$}}
  return model(x);
}

torch::Tensor braceArgument(Net model, torch::Tensor x) {
  at::AutoGradMode{false};
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'at::AutoGradMode{false}' is a temporary destroyed at the end of this statement, so it protects nothing
  // CHECK-FIXES: {{^}}  at::AutoGradMode grad_mode{false};{{$}}
  return model(x);
}

void enableInsideNoGrad(Net model, torch::Tensor x) {
  torch::NoGradGuard outer;
  {
    torch::AutoGradMode(true);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'torch::AutoGradMode(true)' is a temporary destroyed at the end of this statement, so autograd is not turned back on for the rest of the scope; declare a named guard ('torch::AutoGradMode grad_mode(true);') [torch-unnamed-grad-guard]
    // CHECK-FIXES: {{^}}    torch::AutoGradMode grad_mode(true);{{$}}
    model(x).sum().backward();
  }
}

void inferenceModeOff(Net model, torch::Tensor x) {
  c10::InferenceMode outer;
  {
    c10::InferenceMode(false);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'c10::InferenceMode(false)' is a temporary destroyed at the end of this statement, so autograd is not turned back on
    // CHECK-FIXES: {{^}}    c10::InferenceMode inference_mode(false);{{$}}
    model(x);
  }
}

void notALiteral(Net model, torch::Tensor x, bool train) {
  torch::AutoGradMode(!train);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'torch::AutoGradMode(!train)' is a temporary destroyed at the end of this statement, so it sets the grad mode of nothing after it; declare a named guard ('torch::AutoGradMode grad_mode(!train);') [torch-unnamed-grad-guard]
  // CHECK-FIXES: {{^}}  torch::AutoGradMode grad_mode(!train);{{$}}
  model(x);
}

std::vector<torch::Tensor> evalLoop(Net model) {
  model->eval();
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 100; ++i) {
    torch::NoGradGuard();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'torch::NoGradGuard()' is a temporary destroyed
    // CHECK-FIXES: {{^}}    torch::NoGradGuard no_grad;{{$}}
    outputs.push_back(model(make_batch(i)));
  }
  return outputs;
}

using Guard = torch::NoGradGuard;
torch::Tensor throughAlias(Net model, torch::Tensor x) {
  Guard();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'Guard()' is a temporary destroyed at the end of this statement, so it protects nothing
  // CHECK-FIXES: {{^}}  Guard no_grad;{{$}}
  return model(x);
}

class Evaluator {
public:
  torch::Tensor run(Net model, torch::Tensor x) {
    torch::NoGradGuard();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'torch::NoGradGuard()' is a temporary destroyed
    // CHECK-FIXES: {{^}}    torch::NoGradGuard no_grad;{{$}}
    return model(x);
  }
};

torch::Tensor insideLambda(Net model, torch::Tensor x) {
  auto infer = [&] {
    torch::InferenceMode();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'torch::InferenceMode()' is a temporary destroyed
    // CHECK-FIXES: {{^}}    torch::InferenceMode inference_mode;{{$}}
    return model(x);
  };
  return infer();
}

// In the body of an `if` a named guard would die at once too: no fix-it.
torch::Tensor ifBody(Net model, torch::Tensor x, bool eval) {
  if (eval)
    torch::NoGradGuard();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'torch::NoGradGuard()' is a temporary destroyed
  // CHECK-FIXES: {{^}}    torch::NoGradGuard();{{$}}
  return model(x);
}

// The function already uses the name `no_grad`: the guard takes the next
// free name, in the message too.
torch::Tensor nameTaken(Net model, torch::Tensor x, bool no_grad) {
  torch::NoGradGuard();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'torch::NoGradGuard()' is a temporary destroyed at the end of this statement, so it protects nothing: the rest of the scope still records autograd graphs and keeps their activations alive; declare a named guard ('torch::NoGradGuard no_grad_guard;') [torch-unnamed-grad-guard]
  // CHECK-FIXES: {{^}}  torch::NoGradGuard no_grad_guard;{{$}}
  return no_grad ? model(x) : x;
}

// A parameter that is never used still clashes with a local of its name.
torch::Tensor unusedParameterTaken(Net model, torch::Tensor x, bool no_grad) {
  torch::NoGradGuard();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'torch::NoGradGuard()' is a temporary destroyed {{.*}} ('torch::NoGradGuard no_grad_guard;')
  // CHECK-FIXES: {{^}}  torch::NoGradGuard no_grad_guard;{{$}}
  return model(x);
}

// Both names taken: the first free numbered one.
torch::Tensor fallbackTaken(Net model, torch::Tensor x, int no_grad) {
  torch::NoGradGuard();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'torch::NoGradGuard()' is a temporary destroyed {{.*}} ('torch::NoGradGuard no_grad_guard2;')
  // CHECK-FIXES: {{^}}  torch::NoGradGuard no_grad_guard2;{{$}}
  {
    int no_grad_guard = no_grad;
    x = x * no_grad_guard;
  }
  return model(x);
}

// Two guards of one block get different names.
torch::Tensor twoTemporaries(Net model, torch::Tensor x) {
  torch::NoGradGuard();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'torch::NoGradGuard()' is a temporary destroyed {{.*}} ('torch::NoGradGuard no_grad;')
  // CHECK-FIXES: {{^}}  torch::NoGradGuard no_grad;{{$}}
  x = model(x);
  torch::NoGradGuard();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'torch::NoGradGuard()' is a temporary destroyed {{.*}} ('torch::NoGradGuard no_grad_guard;')
  // CHECK-FIXES: {{^}}  torch::NoGradGuard no_grad_guard;{{$}}
  return model(x);
}

// Names that a lambda captures, and members the method reads, would be
// hidden.
torch::Tensor capturedName(Net model, torch::Tensor x) {
  torch::NoGradGuard();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'torch::NoGradGuard()' is a temporary destroyed {{.*}} ('torch::NoGradGuard no_grad_guard;')
  // CHECK-FIXES: {{^}}  torch::NoGradGuard no_grad_guard;{{$}}
  auto run = [&model, no_grad = x.defined()](torch::Tensor in) {
    return no_grad ? model(in) : in;
  };
  return run(x);
}
struct FlaggedEvaluator {
  bool no_grad = true;
  torch::Tensor run(Net model, torch::Tensor x) {
    torch::NoGradGuard();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'torch::NoGradGuard()' is a temporary destroyed {{.*}} ('torch::NoGradGuard no_grad_guard;')
    // CHECK-FIXES: {{^}}    torch::NoGradGuard no_grad_guard;{{$}}
    return no_grad ? model(x) : x;
  }
};

// The whole statement is the user's text, passed as a macro argument.
#define RUN_BLOCK(body)                                                        \
  do {                                                                         \
    body                                                                       \
  } while (0)
void macroArgument(Net model, torch::Tensor x) {
  RUN_BLOCK(torch::NoGradGuard(); model(x););
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: 'torch::NoGradGuard()' is a temporary destroyed
  // CHECK-FIXES: {{^}}  RUN_BLOCK(torch::NoGradGuard no_grad; model(x););{{$}}
}

// ---------------------------------------------------------------------------
// Negatives
// ---------------------------------------------------------------------------

torch::Tensor namedGuard(Net model, torch::Tensor x) {
  torch::NoGradGuard no_grad;
  return model(x);
}

torch::Tensor namedFromTemporary(Net model, torch::Tensor x) {
  auto guard = torch::NoGradGuard();
  return model(x);
}

torch::Tensor namedBraces(Net model, torch::Tensor x) {
  torch::NoGradGuard guard = torch::NoGradGuard{};
  return model(x);
}

torch::Tensor namedAutoGradMode(Net model, torch::Tensor x) {
  torch::AutoGradMode grad_mode(false);
  return model(x);
}

torch::Tensor namedInferenceMode(Net model, torch::Tensor x) {
  c10::InferenceMode guard;
  return model(x);
}

torch::Tensor namedInferenceModeBraces(Net model, torch::Tensor x) {
  torch::InferenceMode guard{};
  return model(x);
}

void passedAsArgument() { consume(torch::NoGradGuard()); }

void heapGuard(Net model, torch::Tensor x) {
  auto guard = std::make_unique<torch::NoGradGuard>();
  auto *raw = new torch::AutoGradMode(false);
  model(x);
  delete raw;
}

void nonRaiiCall(Net model, torch::Tensor x) {
  torch::GradMode::set_enabled(false);
  model(x);
  torch::GradMode::set_enabled(true);
}

void otherTemporaries(Net model, torch::Tensor x) {
  std::string("not a guard");
  torch::zeros({1});
  model(x);
}

// The guard comes from a macro's own definition, not from the user's text.
#define NO_GRAD_TEMPORARY torch::NoGradGuard()
#define MAKE_TEMPORARY(Type) Type()
void fromMacroDefinitions(Net model, torch::Tensor x) {
  NO_GRAD_TEMPORARY;
  MAKE_TEMPORARY(torch::NoGradGuard);
  model(x);
}

struct GuardedEvaluator {
  torch::NoGradGuard guard_;
  torch::Tensor run(Net model, torch::Tensor x) { return model(x); }
};

void guardInForInit(Net model) {
  for (torch::NoGradGuard guard; false;)
    model(make_batch(0));
}

torch::Tensor guardInCondition(Net model, torch::Tensor x, bool eval) {
  return eval ? (consume(torch::NoGradGuard()), model(x)) : model(x);
}
