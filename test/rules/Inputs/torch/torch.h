// Stub of the libtorch declarations the torch- checks look at, for fast lit
// tests. Every name, namespace, base class and signature here mirrors
// libtorch 1.13 (Debian's libtorch-dev headers); bodies are omitted. The
// suite of test/rules-real-headers runs the same checks against the real
// headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace c10 {
// c10/core/GradMode.h
struct GradMode {
  static bool is_enabled();
  static void set_enabled(bool enabled);
};
struct AutoGradMode {
  AutoGradMode(bool enabled);
  ~AutoGradMode();
  bool prev_mode;
};
struct NoGradGuard : public AutoGradMode {
  NoGradGuard() : AutoGradMode(/*enabled=*/false) {}
};
// c10/core/InferenceMode.h
struct InferenceMode {
  InferenceMode(bool enabled = true);
  ~InferenceMode();
  static bool is_enabled();
};
// c10/core/Scalar.h
class Scalar {
public:
  Scalar(double v);
  double toDouble() const;
  float toFloat() const;
  int64_t toLong() const;
  template <typename T> T to() const;
};
template <typename T> class ArrayRef {
public:
  ArrayRef(std::initializer_list<T> list);
  ArrayRef(const std::vector<T> &v);
};
struct nullopt_t {};
constexpr nullopt_t nullopt{};
template <typename T> class optional {
public:
  optional();
  optional(T v);
  optional(nullopt_t);
};
// c10/core/DeviceType.h
enum class DeviceType : int8_t {
  CPU = 0,
  CUDA = 1,
  HIP = 6,
  XLA = 9,
  MPS = 13,
  Meta = 14,
};
constexpr DeviceType kCPU = DeviceType::CPU;
constexpr DeviceType kCUDA = DeviceType::CUDA;
// c10/core/Device.h
using DeviceIndex = int8_t;
struct Device final {
  /* implicit */ Device(DeviceType type, DeviceIndex index = -1);
  /* implicit */ Device(const std::string &device_string);
  DeviceType type() const noexcept;
  DeviceIndex index() const noexcept;
  bool is_cuda() const noexcept;
  bool is_cpu() const noexcept;
};
// c10/core/ScalarType.h
enum class ScalarType : int8_t {
  Byte,
  Char,
  Short,
  Int,
  Long,
  Half,
  Float,
  Double,
};
constexpr ScalarType kLong = ScalarType::Long;
constexpr ScalarType kFloat = ScalarType::Float;
// c10/core/MemoryFormat.h
enum class MemoryFormat : int8_t { Contiguous, Preserve, ChannelsLast };
} // namespace c10

// c10/macros/Macros.h
namespace at {
using namespace c10;
} // namespace at

namespace at {
using c10::ArrayRef;
using IntArrayRef = c10::ArrayRef<int64_t>;
using c10::Scalar;
using GradMode = c10::GradMode;
using AutoGradMode = c10::AutoGradMode;
using NoGradGuard = c10::NoGradGuard;
using c10::InferenceMode;

// c10/core/TensorOptions.h
struct TensorOptions {
  TensorOptions();
  template <typename T, typename = std::enable_if_t<
                            std::is_same<std::decay_t<T>, Device>::value>>
  /* implicit */ TensorOptions(T &&device);
  template <typename... Args,
            typename = std::enable_if_t<
                std::is_constructible<Device, Args &&...>::value>>
  /* implicit */ TensorOptions(Args &&...args);
  /* implicit */ TensorOptions(ScalarType dtype);
  template <typename... Args>
  TensorOptions device(Args &&...args) const noexcept;
  TensorOptions dtype(ScalarType dtype) const noexcept;
  TensorOptions requires_grad(c10::optional<bool> requires_grad) const;
};
inline TensorOptions requires_grad(bool requires_grad = true);
inline TensorOptions device(Device device);
inline TensorOptions dtype(ScalarType dtype);

class Tensor;

// ATen/TensorIndexing.h
namespace indexing {
struct TensorIndex {
  TensorIndex(int64_t integer);
  TensorIndex(const Tensor &tensor);
};
} // namespace indexing

// ATen/core/TensorBody.h
class Tensor {
public:
  Tensor();
  Tensor(const Tensor &);
  Tensor(Tensor &&);
  Tensor &operator=(const Tensor &) &;
  Tensor &operator=(Tensor &&) &;
  // Assigning to a temporary (`t[i] = v`, `t.select(0, i) = v`) copies into
  // the viewed elements.
  Tensor &operator=(const Tensor &rhs) &&;
  Tensor &operator=(Tensor &&rhs) &&;
  Tensor &operator+=(const Tensor &other);
  Tensor &operator+=(const Scalar &other);
  Tensor &operator-=(const Tensor &other);
  Tensor &operator-=(Scalar other);
  Tensor &operator*=(const Tensor &other);
  Tensor &operator*=(Scalar other);
  Tensor &operator/=(const Tensor &other);
  Tensor operator[](int64_t index) const;

  void backward(const Tensor &gradient = {},
                c10::optional<bool> retain_graph = c10::optional<bool>(),
                bool create_graph = false) const;
  Tensor detach() const;
  Tensor &detach_() const;
  Tensor data() const;
  Scalar item() const;
  template <typename T> T item() const;
  const Tensor &grad() const;
  Tensor &mutable_grad() const;
  Tensor &requires_grad_(bool requires_grad = true) const;
  bool requires_grad() const;
  Tensor &set_requires_grad(bool requires_grad);
  void reset();
  bool defined() const;
  Tensor cpu() const;
  Tensor cuda() const;
  Device device() const;
  TensorOptions options() const;
  bool is_cuda() const;
  Tensor to(TensorOptions options = {}, bool non_blocking = false,
            bool copy = false,
            c10::optional<MemoryFormat> memory_format = c10::nullopt) const;
  Tensor to(Device device, ScalarType dtype, bool non_blocking = false,
            bool copy = false,
            c10::optional<MemoryFormat> memory_format = c10::nullopt) const;
  Tensor to(ScalarType dtype, bool non_blocking = false, bool copy = false,
            c10::optional<MemoryFormat> memory_format = c10::nullopt) const;
  Tensor to(const Tensor &other, bool non_blocking = false, bool copy = false,
            c10::optional<MemoryFormat> memory_format = c10::nullopt) const;
  Tensor clone() const;
  Tensor sum() const;
  Tensor mean() const;
  Tensor argmax(int64_t dim) const;
  Tensor multinomial(int64_t num_samples, bool replacement = false) const;
  Tensor softmax(int64_t dim,
                 c10::optional<ScalarType> dtype = c10::nullopt) const;
  Tensor max() const;
  Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1) const;
  Tensor eq(const Tensor &other) const;
  Tensor view(IntArrayRef size) const;
  Tensor &add_(const Tensor &other, const Scalar &alpha = 1) const;
  Tensor &add_(const Scalar &other, const Scalar &alpha = 1) const;
  Tensor &copy_(const Tensor &src, bool non_blocking = false) const;
  Tensor &index_put_(std::initializer_list<indexing::TensorIndex> indices,
                     const Tensor &rhs);
  Tensor select(int64_t dim, int64_t index) const;
  Tensor &mul_(const Tensor &other) const;
  Tensor &mul_(const Scalar &other) const;
  Tensor &zero_() const;
  Tensor &sub_(const Tensor &other, const Scalar &alpha = 1) const;
  Tensor &sub_(const Scalar &other, const Scalar &alpha = 1) const;
  Tensor &lerp_(const Tensor &end, const Scalar &weight) const;
  Tensor pow(const Scalar &exponent) const;
  Tensor norm() const;
  int64_t numel() const;
  int64_t dim() const;
};
Tensor operator+(const Tensor &a, const Tensor &b);
Tensor operator+(const Tensor &a, const Scalar &b);
Tensor operator+(const Scalar &a, const Tensor &b);
Tensor operator-(const Tensor &a, const Tensor &b);
Tensor operator-(const Tensor &a, const Scalar &b);
Tensor operator-(const Scalar &a, const Tensor &b);
Tensor operator*(const Tensor &a, const Tensor &b);
Tensor operator*(const Scalar &a, const Tensor &b);
Tensor operator*(const Tensor &a, const Scalar &b);
Tensor operator/(const Tensor &a, const Scalar &b);
// ATen/TensorOperators.h: comparisons return boolean tensors.
Tensor operator>(const Tensor &a, const Scalar &b);
Tensor operator==(const Tensor &a, const Tensor &b);
// ATen/Functions.h
Tensor argmax(const Tensor &self, c10::optional<int64_t> dim = c10::nullopt,
              bool keepdim = false);

Tensor zeros(IntArrayRef size, TensorOptions options = {});
Tensor ones(IntArrayRef size, TensorOptions options = {});
Tensor randn(IntArrayRef size, TensorOptions options = {});
Tensor cat(c10::ArrayRef<Tensor> tensors, int64_t dim = 0);
Tensor stack(c10::ArrayRef<Tensor> tensors, int64_t dim = 0);
Tensor mse_loss(const Tensor &self, const Tensor &target,
                int64_t reduction = 1);
Tensor nll_loss(const Tensor &self, const Tensor &target);
Tensor relu(const Tensor &self);
Tensor tanh(const Tensor &self);
Tensor detach(const Tensor &self);
} // namespace at

namespace torch {
using namespace at;
// torch/csrc/api/include/torch/types.h
using Dtype = at::ScalarType;
using c10::DeviceType;

// torch/csrc/autograd/generated/variable_factories.h
at::Tensor zeros_like(const at::Tensor &self, at::TensorOptions options = {},
                      c10::optional<MemoryFormat> memory_format = c10::nullopt);

namespace cuda {
// torch/csrc/api/include/torch/cuda.h
size_t device_count();
bool is_available();
} // namespace cuda

namespace autograd {
// torch/csrc/autograd/grad_mode.h
using GradMode = at::GradMode;
using AutoGradMode = at::AutoGradMode;
using Variable = at::Tensor;
using variable_list = std::vector<Variable>;
void backward(const variable_list &tensors,
              const variable_list &grad_tensors = {},
              c10::optional<bool> retain_graph = c10::optional<bool>(),
              bool create_graph = false);
variable_list grad(const variable_list &outputs, const variable_list &inputs,
                   const variable_list &grad_outputs = {},
                   c10::optional<bool> retain_graph = c10::optional<bool>(),
                   bool create_graph = false, bool allow_unused = false);
} // namespace autograd

// torch/csrc/api/include/torch/ordered_dict.h
template <typename Key, typename Value> class OrderedDict {
public:
  class Item;
  using Iterator = typename std::vector<Item>::iterator;
  using ConstIterator = typename std::vector<Item>::const_iterator;
  explicit OrderedDict(std::string key_description = "Key");
  Item &operator[](size_t index);
  Value &operator[](const Key &key);
  Iterator begin();
  ConstIterator begin() const;
  Iterator end();
  ConstIterator end() const;
  size_t size() const noexcept;
  const std::vector<Item> &items() const noexcept;
  ::std::vector<Key> keys() const;
  ::std::vector<Value> values() const;
};
template <typename Key, typename Value>
class OrderedDict<Key, Value>::Item {
public:
  Item(Key key, Value value);
  Value &operator*();
  const Value &operator*() const;
  Value *operator->();
  const Value *operator->() const;
  const Key &key() const noexcept;
  Value &value() noexcept;
  const Value &value() const noexcept;
};

namespace nn {
// torch/csrc/api/include/torch/nn/module.h
class Module : public std::enable_shared_from_this<Module> {
public:
  virtual ~Module() = default;
  std::vector<Tensor> parameters(bool recurse = true) const;
  OrderedDict<std::string, Tensor> named_parameters(bool recurse = true) const;
  std::vector<Tensor> buffers(bool recurse = true) const;
  OrderedDict<std::string, Tensor> named_buffers(bool recurse = true) const;
  virtual void train(bool on = true);
  void eval();
  virtual bool is_training() const noexcept;
  virtual void to(torch::Device device, torch::Dtype dtype,
                  bool non_blocking = false);
  virtual void to(torch::Dtype dtype, bool non_blocking = false);
  virtual void to(torch::Device device, bool non_blocking = false);
  virtual void zero_grad(bool set_to_none = false);
  Tensor &register_parameter(std::string name, Tensor tensor,
                             bool requires_grad = true);
  Tensor &register_buffer(std::string name, Tensor tensor);
  template <typename ModuleType>
  std::shared_ptr<ModuleType> register_module(std::string name,
                                              std::shared_ptr<ModuleType> m);
};

} // namespace nn

namespace detail {
struct ModuleHolderIndicator {};
} // namespace detail

namespace nn {
// torch/csrc/api/include/torch/nn/cloneable.h
template <typename Derived> class Cloneable : public Module {};

// torch/csrc/api/include/torch/nn/pimpl.h
template <typename Contained>
class ModuleHolder : torch::detail::ModuleHolderIndicator {
protected:
  std::shared_ptr<Contained> impl_;

public:
  ModuleHolder();
  ModuleHolder(std::nullptr_t);
  explicit ModuleHolder(std::shared_ptr<Contained> module);
  template <typename Head, typename... Tail>
  explicit ModuleHolder(Head &&head, Tail &&...tail);
  Contained *operator->();
  const Contained *operator->() const;
  Contained &operator*();
  template <typename... Args>
  auto operator()(Args &&...args)
      -> decltype(impl_->forward(std::forward<Args>(args)...)) {
    return impl_->forward(std::forward<Args>(args)...);
  }
};

#define TORCH_MODULE_IMPL(Name, ImplType)                                      \
  class Name : public torch::nn::ModuleHolder<ImplType> {                      \
  public:                                                                      \
    using torch::nn::ModuleHolder<ImplType>::ModuleHolder;                     \
    using Impl = ImplType;                                                     \
  }
#define TORCH_MODULE(Name) TORCH_MODULE_IMPL(Name, Name##Impl)

// torch/csrc/api/include/torch/nn/modules/linear.h
class LinearImpl : public Cloneable<LinearImpl> {
public:
  LinearImpl(int64_t in_features, int64_t out_features);
  Tensor forward(const Tensor &input);
  Tensor weight;
  Tensor bias;
};
TORCH_MODULE(Linear);

// torch/csrc/api/include/torch/nn/modules/rnn.h (LSTMCell)
class GRUCellImpl : public Cloneable<GRUCellImpl> {
public:
  GRUCellImpl(int64_t input_size, int64_t hidden_size);
  Tensor forward(const Tensor &input, Tensor hx = {});
};
TORCH_MODULE(GRUCell);

// torch/csrc/api/include/torch/nn/modules/rnn.h (LSTM)
class LSTMImpl : public Cloneable<LSTMImpl> {
public:
  LSTMImpl(int64_t input_size, int64_t hidden_size);
  std::tuple<Tensor, std::tuple<Tensor, Tensor>>
  forward(const Tensor &input,
          c10::optional<std::tuple<Tensor, Tensor>> hx_opt = {});
};
TORCH_MODULE(LSTM);

// torch/csrc/api/include/torch/nn/modules/loss.h
class CrossEntropyLossImpl : public Cloneable<CrossEntropyLossImpl> {
public:
  CrossEntropyLossImpl();
  Tensor forward(const Tensor &input, const Tensor &target);
};
TORCH_MODULE(CrossEntropyLoss);

namespace utils {
// torch/csrc/api/include/torch/nn/utils/clip_grad.h
inline double clip_grad_norm_(std::vector<Tensor> parameters, double max_norm,
                              double norm_type = 2.0,
                              bool error_if_nonfinite = false);
} // namespace utils

namespace functional {
inline Tensor mse_loss(const Tensor &input, const Tensor &target);
inline Tensor cross_entropy(const Tensor &input, const Tensor &target);
} // namespace functional
} // namespace nn

namespace optim {
// torch/csrc/api/include/torch/optim/optimizer.h
class OptimizerOptions {
public:
  virtual ~OptimizerOptions() = default;
};
class OptimizerParamGroup {
public:
  OptimizerParamGroup(std::vector<Tensor> params);
  OptimizerParamGroup(std::vector<Tensor> params,
                      std::unique_ptr<OptimizerOptions> options);
  std::vector<Tensor> &params();
  const std::vector<Tensor> &params() const;
};
class Optimizer {
public:
  using LossClosure = std::function<Tensor()>;
  Optimizer() = default; // Not in libtorch: keeps the tests' stubs short.
  explicit Optimizer(std::vector<OptimizerParamGroup> param_groups,
                     std::unique_ptr<OptimizerOptions> defaults);
  virtual ~Optimizer() = default;
  virtual Tensor step(LossClosure closure = nullptr) = 0;
  void zero_grad();
  const std::vector<Tensor> &parameters() const noexcept;
  std::vector<OptimizerParamGroup> &param_groups() noexcept;

protected:
  std::vector<OptimizerParamGroup> param_groups_;
};
struct SGDOptions {
  SGDOptions(double lr);
};
class SGD : public Optimizer {
public:
  SGD(std::vector<Tensor> params, SGDOptions defaults);
  Tensor step(LossClosure closure = nullptr) override;
};
struct AdamOptions {
  AdamOptions(double lr = 1e-3);
};
class Adam : public Optimizer {
public:
  Adam(std::vector<Tensor> params, AdamOptions defaults = {});
  Tensor step(LossClosure closure = nullptr) override;
};
// torch/csrc/api/include/torch/optim/adamw.h
struct AdamWOptions {
  AdamWOptions(double lr = 1e-3);
};
class AdamW : public Optimizer {
public:
  explicit AdamW(std::vector<Tensor> params, AdamWOptions defaults = {});
  Tensor step(LossClosure closure = nullptr) override;
};
// torch/csrc/api/include/torch/optim/rmsprop.h
struct RMSpropOptions {
  RMSpropOptions(double lr = 1e-2);
};
class RMSprop : public Optimizer {
public:
  explicit RMSprop(std::vector<Tensor> params, RMSpropOptions defaults = {});
  Tensor step(LossClosure closure = nullptr) override;
};
// torch/csrc/api/include/torch/optim/adagrad.h
struct AdagradOptions {
  AdagradOptions(double lr = 1e-2);
};
class Adagrad : public Optimizer {
public:
  explicit Adagrad(std::vector<Tensor> params, AdagradOptions defaults = {});
  Tensor step(LossClosure closure = nullptr) override;
};
// torch/csrc/api/include/torch/optim/lbfgs.h
struct LBFGSOptions {
  LBFGSOptions(double lr = 1);
};
class LBFGS : public Optimizer {
public:
  explicit LBFGS(std::vector<Tensor> params, LBFGSOptions defaults = {});
  Tensor step(LossClosure closure) override;
};
} // namespace optim

namespace jit {
// torch/csrc/jit/api/module.h (IValue from ATen/core/ivalue.h)
} // namespace jit
} // namespace torch

namespace c10 {
struct IValue {
  IValue(at::Tensor t);
  at::Tensor toTensor() const &;
};
} // namespace c10

namespace torch {
namespace jit {
using c10::IValue;
struct Module {
  IValue forward(std::vector<IValue> inputs);
  void train(bool on = true);
  void eval();
};
namespace script {
using Module = torch::jit::Module;
} // namespace script
} // namespace jit
} // namespace torch
