// Tagging is on the allocation path, so it does the least it can there: the
// user frames are looked up once per outermost operator (every allocation
// inside one operator shares its caller), in a per-thread cache that
// unwinds the stack only for call sites it has not seen
// (UserStackCache.h), and interned with the operator's name; a tag is then
// a few words in the allocator's block map. Nothing is symbolised:
// `confirm` does that once, from the report's module build ids and
// offsets.
#include "Origins.h"
#include "CudaOrigins.h"
#include "ModuleTable.h"
#include "UserFrames.h"
#include "UserStackCache.h"

#include <ATen/record_function.h>
#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/function.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>
#include <tuple>
#include <string>
#include <unordered_map>
#include <vector>

namespace torch_tidy::probe {

namespace {

/// Distinct user stacks and operator names kept; later ones are tagged
/// with none (id 0). Bounds the tables whatever the program does.
constexpr size_t MaxInterned = 1 << 16;

struct StackHash {
  size_t operator()(const std::vector<uintptr_t> &Frames) const {
    size_t Hash = Frames.size();
    for (uintptr_t F : Frames)
      Hash = Hash * 1000003u ^ std::hash<uintptr_t>()(F);
    return Hash;
  }
};

/// The interned stacks and operator names; id i is entry i - 1.
struct Interned {
  std::mutex Mutex;
  std::unordered_map<std::vector<uintptr_t>, uint32_t, StackHash> StackIds;
  std::vector<std::vector<uintptr_t>> Stacks;
  std::unordered_map<std::string, uint32_t> OpIds;
  std::vector<std::string> Ops;

  uint32_t stack(const uintptr_t *Frames, int Count) {
    std::vector<uintptr_t> Key(Frames, Frames + Count);
    std::lock_guard<std::mutex> Lock(Mutex);
    if (auto It = StackIds.find(Key); It != StackIds.end())
      return It->second;
    if (Stacks.size() >= MaxInterned)
      return 0;
    Stacks.push_back(Key);
    auto Id = static_cast<uint32_t>(Stacks.size());
    StackIds.emplace(std::move(Key), Id);
    return Id;
  }

  uint32_t op(const char *Name) {
    if (!Name || !*Name)
      return 0;
    std::lock_guard<std::mutex> Lock(Mutex);
    if (auto It = OpIds.find(Name); It != OpIds.end())
      return It->second;
    if (Ops.size() >= MaxInterned)
      return 0;
    Ops.emplace_back(Name);
    auto Id = static_cast<uint32_t>(Ops.size());
    OpIds.emplace(Ops.back(), Id);
    return Id;
  }
};

/// Autograd nodes that outermost operators gave their outputs (grad_fn),
/// with where they were made; bounded like the interned tables.
constexpr size_t MaxGraphNodes = 1 << 16;
struct GraphNodeOrigin {
  std::weak_ptr<torch::autograd::Node> Node;
  const void *Site;
  int64_t Iteration;
  uint32_t Stack, Op;
};
struct GraphTable {
  std::mutex Mutex;
  std::unordered_map<const torch::autograd::Node *, GraphNodeOrigin> Nodes;
  int64_t NotTracked = 0;

  void add(GraphNodeOrigin Origin, const torch::autograd::Node *Key) {
    std::lock_guard<std::mutex> Lock(Mutex);
    if (Nodes.size() >= MaxGraphNodes)
      for (auto It = Nodes.begin(); It != Nodes.end();)
        It = It->second.Node.expired() ? Nodes.erase(It) : std::next(It);
    if (Nodes.size() >= MaxGraphNodes) {
      ++NotTracked;
      return;
    }
    // A dead node's address may be reused by a new one: replace it.
    Nodes[Key] = std::move(Origin);
  }
};
GraphTable *Graph = nullptr;

// Both live until exit: tensors are freed during static destruction too.
Interned *Table = nullptr;
ModuleTable *Modules = nullptr;

/// Whether CUDA blocks are tagged (the allocator's history is on).
std::atomic<bool> CudaTagging{false};

/// The last boundary of any thread, for threads that mark none (intra-op
/// workers, the autograd engine's).
std::atomic<const void *> AnySite{nullptr};
std::atomic<int64_t> AnyIteration{0};

/// The calling thread's boundary and its outermost operator.
struct ThreadOrigins {
  const void *Site = nullptr;
  int64_t Iteration = 0;
  int OperatorDepth = 0;
  const char *OperatorName = nullptr;
  bool OperatorIsBackward = false;
  uint64_t OperatorSerial = 0; // Counts outermost operators.
  uint64_t TaggedSerial = 0;   // The operator whose name is cached.
  uint32_t CachedOp = 0;
  // The user frames change less often than the operator: the autograd
  // nodes of one backward pass all run under the same user call
  // (backward()), so consecutive outermost nodes share one unwinding.
  uint64_t StackSerial = 0;  // Counts changes of the user frames.
  uint64_t UnwoundSerial = 0; // The StackSerial whose frames are cached.
  uint32_t CachedStack = 0;
};
thread_local ThreadOrigins ThisThread;

std::unique_ptr<at::ObserverContext>
onOperatorStart(const at::RecordFunction &Operator) {
  ThreadOrigins &T = ThisThread;
  if (T.OperatorDepth++ == 0) {
    T.OperatorName = Operator.name();
    bool Backward = Operator.scope() == at::RecordScope::BACKWARD_FUNCTION;
    if (!(Backward && T.OperatorIsBackward))
      ++T.StackSerial;
    T.OperatorIsBackward = Backward;
    ++T.OperatorSerial;
  }
  return nullptr;
}

uint32_t internStack(const uintptr_t *Frames, int Count) {
  return Table->stack(Frames, Count);
}

uint32_t captureStack() { return cachedUserStack(*Modules, &internStack); }

/// The user frames and name of the running outermost operator, unwound
/// once per operator.
void originOfOperator(ThreadOrigins &T, uint32_t &Stack, uint32_t &Op) {
  if (T.TaggedSerial != T.OperatorSerial) {
    T.CachedOp = Table->op(T.OperatorName);
    T.TaggedSerial = T.OperatorSerial;
  }
  if (T.UnwoundSerial != T.StackSerial) {
    T.CachedStack = captureStack();
    T.UnwoundSerial = T.StackSerial;
  }
  Stack = T.CachedStack;
  Op = T.CachedOp;
}

void noteGraphNode(const at::Tensor &Output, ThreadOrigins &T,
                   const void *Site, int64_t Iteration) {
  if (!Output.defined())
    return;
  const std::shared_ptr<torch::autograd::Node> &Node = Output.grad_fn();
  if (!Node)
    return;
  GraphNodeOrigin Origin{Node, Site, Iteration, 0, 0};
  originOfOperator(T, Origin.Stack, Origin.Op);
  Graph->add(std::move(Origin), Node.get());
}

/// The graph nodes an outermost forward operator made: its outputs'
/// grad_fn. Graph growth without tensor growth (`total += loss` after
/// backward) is these nodes.
void noteGraphNodes(const at::RecordFunction &Operator, ThreadOrigins &T) {
  if (Operator.scope() != at::RecordScope::FUNCTION ||
      !c10::GradMode::is_enabled())
    return;
  const void *Site = T.Site ? T.Site : AnySite.load(std::memory_order_relaxed);
  if (!Site)
    return;
  int64_t Iteration =
      T.Site ? T.Iteration : AnyIteration.load(std::memory_order_relaxed);
  for (const c10::IValue &Output : Operator.outputs()) {
    if (Output.isTensor())
      noteGraphNode(Output.toTensor(), T, Site, Iteration);
    else if (Output.isTensorList())
      for (const at::Tensor &Element : Output.toTensorVector())
        noteGraphNode(Element, T, Site, Iteration);
  }
}

void onOperatorEnd(const at::RecordFunction &Operator, at::ObserverContext *) {
  ThreadOrigins &T = ThisThread;
  // An operator that started before the callback was added ends unseen.
  if (T.OperatorDepth == 0)
    return;
  if (T.OperatorDepth == 1) {
    try {
      noteGraphNodes(Operator, T);
    } catch (...) {
      // Out of memory while noting: the node goes untracked.
    }
  }
  --T.OperatorDepth;
}

void tagAllocation(OriginTag &Tag) noexcept {
  try {
    ThreadOrigins &T = ThisThread;
    if (T.Site) {
      Tag.Site = T.Site;
      Tag.Iteration = T.Iteration;
    } else {
      Tag.Site = AnySite.load(std::memory_order_relaxed);
      Tag.Iteration = AnyIteration.load(std::memory_order_relaxed);
    }
    if (!Tag.Site)
      return; // Before the first boundary: start-up, never a survivor.
    if (T.OperatorDepth == 0) {
      Tag.Stack = captureStack();
      return;
    }
    Tag.InBackward = T.OperatorIsBackward;
    originOfOperator(T, Tag.Stack, Tag.Op);
  } catch (...) {
    // Out of memory while interning: the allocation goes on untagged.
  }
}

} // namespace

bool startOriginsFromEnvironment(CountingCpuAllocator &Allocator) {
  const char *Value = std::getenv("TORCH_TIDY_ORIGINS");
  if (!Value)
    return false;
  // "tensors": tensor origins only; no operator outputs are captured, so
  // graph nodes are not seen (and each operator costs less).
  bool TensorsOnly = std::strcmp(Value, "tensors") == 0;
  if (std::strcmp(Value, "1") != 0 && !TensorsOnly)
    return false;
  Table = new Interned();
  Modules = new ModuleTable();
  Graph = new GraphTable();
  // Outputs are needed for their grad_fn (graph nodes).
  at::addGlobalCallback(
      at::RecordFunctionCallback(&onOperatorStart, &onOperatorEnd)
          .needsOutputs(!TensorsOnly)
          .scopes({at::RecordScope::FUNCTION,
                   at::RecordScope::BACKWARD_FUNCTION}));
  Allocator.setOriginTagger(&tagAllocation);
  return true;
}

void noteCudaInUse() {
  if (Table && !CudaTagging.load(std::memory_order_relaxed))
    CudaTagging.store(startCudaOrigins(&tagAllocation));
}

void noteOriginsBoundary(const SiteKey *Site, int64_t Iteration) {
  ThisThread.Site = Site;
  ThisThread.Iteration = Iteration;
  AnySite.store(Site, std::memory_order_relaxed);
  AnyIteration.store(Iteration, std::memory_order_relaxed);
}

namespace {

using SiteEntry = std::pair<const SiteKey, SiteSeries>;

/// What survivors of one origin add up to.
struct OriginKey {
  const void *Site;
  uint32_t Stack, Op;
  bool InBackward;
  int CudaDevice = -1; // -1: CPU memory.
  bool operator<(const OriginKey &O) const {
    return std::tie(Site, Stack, Op, InBackward, CudaDevice) <
           std::tie(O.Site, O.Stack, O.Op, O.InBackward, O.CudaDevice);
  }
};
struct OriginSum {
  int64_t Count = 0, Bytes = 0, WindowCount = 0, WindowBytes = 0;
  int64_t First = INT64_MAX, Last = INT64_MIN;
  std::set<int64_t> Births;
  std::set<std::string> NodeTypes;
  bool Chains = false;

  void add(int64_t Iteration, int64_t Size) {
    ++Count;
    Bytes += Size;
    if (Iteration >= OriginsWarmupIterations) {
      ++WindowCount;
      WindowBytes += Size;
    }
    First = std::min(First, Iteration);
    Last = std::max(Last, Iteration);
    Births.insert(Iteration);
  }
};

/// Whether an allocation or node of \p Iteration is a survivor at \p Site.
bool survives(const SiteEntry &Site, int64_t Iteration) {
  int64_t Running = Site.second.Iterations - 1;
  return Running - Iteration >= SurvivorAge;
}

/// Iterations whose survivors the rates count: after the warm-up, and old
/// enough to be survivors.
int64_t rateWindow(const SiteEntry &Site) {
  return Site.second.Iterations - 1 - SurvivorAge - OriginsWarmupIterations +
         1;
}

/// Turns sums into the report's summaries, frames as module and offset.
class SummaryWriter {
public:
  SummaryWriter(OriginsSnapshot &Out,
                const std::unordered_map<const void *, const SiteEntry *> &SiteOf)
      : Out(Out), SiteOf(SiteOf) {
    std::lock_guard<std::mutex> Lock(Table->Mutex);
    Stacks = Table->Stacks;
    Ops = Table->Ops;
  }

  void write(const std::map<OriginKey, OriginSum> &Sums, bool Nodes,
             std::map<SiteKey, std::vector<OriginSummary>> &Into) {
    // Modules first (find() may read newly loaded ones), then their copy.
    for (const auto &Entry : Sums)
      if (Entry.first.Stack > 0)
        for (uintptr_t Address : Stacks[Entry.first.Stack - 1])
          ModuleOf.emplace(Address, Modules->find(Address));
    Loaded = Modules->modules();
    for (const auto &[K, S] : Sums) {
      const SiteEntry *Site = SiteOf.at(K.Site);
      OriginSummary O;
      if (K.Stack > 0)
        for (uintptr_t Address : Stacks[K.Stack - 1])
          addFrame(O, Address);
      O.Op = K.Op > 0 ? Ops[K.Op - 1] : "";
      O.InBackward = K.InBackward;
      O.CudaDevice = K.CudaDevice;
      O.Count = S.Count;
      O.Bytes = S.Bytes;
      O.FirstIteration = S.First;
      O.LastIteration = S.Last;
      O.BirthIterations = static_cast<int64_t>(S.Births.size());
      double Window = static_cast<double>(std::max<int64_t>(rateWindow(*Site), 0));
      if (Window > 0) {
        O.BytesPerIteration = static_cast<double>(S.WindowBytes) / Window;
        if (Nodes)
          O.NodesPerIteration = static_cast<double>(S.WindowCount) / Window;
      }
      O.NodeTypes.assign(S.NodeTypes.begin(), S.NodeTypes.end());
      O.ChainsAcrossIterations = S.Chains;
      Into[Site->first].push_back(std::move(O));
    }
  }

private:
  void addFrame(OriginSummary &O, uintptr_t Address) {
    int Module = ModuleOf[Address];
    if (Module < 0 || static_cast<size_t>(Module) >= Loaded.size())
      return;
    const LoadedModule &M = Loaded[static_cast<size_t>(Module)];
    auto [It, Added] =
        ReportIndex.try_emplace(Module, static_cast<int>(Out.Modules.size()));
    if (Added)
      Out.Modules.push_back({M.Path, M.BuildId});
    O.Frames.push_back({It->second, Address - M.LoadBias});
  }

  OriginsSnapshot &Out;
  const std::unordered_map<const void *, const SiteEntry *> &SiteOf;
  std::vector<std::vector<uintptr_t>> Stacks;
  std::vector<std::string> Ops;
  std::unordered_map<uintptr_t, int> ModuleOf;
  std::vector<LoadedModule> Loaded;
  std::map<int, int> ReportIndex; // Loaded module -> Out.Modules.
};

/// Surviving graph nodes per origin. Strong references taken here are
/// dropped only after the table's lock is released: dropping the last one
/// frees the node.
std::map<OriginKey, OriginSum> sumGraphSurvivors(
    const std::unordered_map<const void *, const SiteEntry *> &SiteOf,
    int64_t &NotTracked) {
  constexpr size_t MaxNodeTypes = 4;
  std::map<OriginKey, OriginSum> Sums;
  std::vector<std::shared_ptr<torch::autograd::Node>> Held;
  std::lock_guard<std::mutex> Lock(Graph->Mutex);
  NotTracked = Graph->NotTracked;
  for (auto It = Graph->Nodes.begin(); It != Graph->Nodes.end();) {
    std::shared_ptr<torch::autograd::Node> Node = It->second.Node.lock();
    if (!Node) {
      It = Graph->Nodes.erase(It);
      continue;
    }
    const GraphNodeOrigin &Origin = It->second;
    ++It;
    Held.push_back(Node);
    auto Site = SiteOf.find(Origin.Site);
    if (Site == SiteOf.end() || !survives(*Site->second, Origin.Iteration))
      continue;
    OriginSum &S = Sums[OriginKey{Origin.Site, Origin.Stack, Origin.Op, false}];
    S.add(Origin.Iteration, 0);
    if (S.NodeTypes.size() < MaxNodeTypes)
      S.NodeTypes.insert(Node->name());
    // An input made by the same origin in an earlier iteration: this
    // origin links each iteration's graph to the previous one.
    for (const torch::autograd::Edge &Edge : Node->next_edges()) {
      auto Input = Graph->Nodes.find(Edge.function.get());
      if (Input != Graph->Nodes.end() && !Input->second.Node.expired() &&
          Input->second.Stack == Origin.Stack &&
          Input->second.Op == Origin.Op &&
          Input->second.Iteration < Origin.Iteration)
        S.Chains = true;
    }
  }
  return Sums;
}

} // namespace

OriginsSnapshot
summarizeSurvivors(const CountingCpuAllocator &Allocator,
                   const std::map<SiteKey, SiteSeries> &Sites) {
  OriginsSnapshot Out;
  if (!Table)
    return Out;
  Out.Enabled = true;
  Out.SurvivorAge = SurvivorAge;
  Out.WarmupIterations = OriginsWarmupIterations;
  StackCacheCounts Cache = stackCacheCounts();
  Out.StackLookups = Cache.Lookups;
  Out.StackUnwinds = Cache.Unwinds;
  Out.StackAudits = Cache.Audits;
  Out.StackAuditMismatches = Cache.Mismatches;

  std::unordered_map<const void *, const SiteEntry *> SiteOf;
  for (const auto &Entry : Sites)
    SiteOf.emplace(&Entry.first, &Entry);

  std::map<OriginKey, OriginSum> Sums;
  auto AddBlock = [&](int CudaDevice, size_t Bytes, const OriginTag &Tag) {
    if (!Tag.Site) {
      Out.UntaggedLiveBytes += static_cast<int64_t>(Bytes);
      return;
    }
    auto Site = SiteOf.find(Tag.Site);
    if (Site == SiteOf.end() || !survives(*Site->second, Tag.Iteration))
      return;
    Sums[OriginKey{Tag.Site, Tag.Stack, Tag.Op, Tag.InBackward, CudaDevice}]
        .add(Tag.Iteration, static_cast<int64_t>(Bytes));
  };
  Allocator.forEachLiveBlock(
      [&](size_t Bytes, const OriginTag &Tag) { AddBlock(-1, Bytes, Tag); });
  // CUDA blocks, from the caching allocator's snapshot (CudaOrigins.h).
  Out.CudaBlocks = !cudaOriginsAvailable() ? CudaBlockOrigins::Unavailable
                   : CudaTagging.load()    ? CudaBlockOrigins::Tagged
                                           : CudaBlockOrigins::NotInUse;
  forEachTaggedCudaBlock(AddBlock);
  std::map<OriginKey, OriginSum> GraphSums =
      sumGraphSurvivors(SiteOf, Out.GraphNodesNotTracked);

  SummaryWriter Writer(Out, SiteOf);
  Writer.write(Sums, /*Nodes=*/false, Out.Sites);
  Writer.write(GraphSums, /*Nodes=*/true, Out.GraphSites);

  // The largest first; a bounded number per site keeps the report small.
  constexpr size_t MaxOriginsPerSite = 16;
  for (auto &[Site, Origins] : Out.Sites) {
    std::sort(Origins.begin(), Origins.end(),
              [](const OriginSummary &A, const OriginSummary &B) {
                return std::tie(A.BytesPerIteration, A.Bytes) >
                       std::tie(B.BytesPerIteration, B.Bytes);
              });
    if (Origins.size() > MaxOriginsPerSite)
      Origins.resize(MaxOriginsPerSite);
  }
  for (auto &[Site, Origins] : Out.GraphSites) {
    std::sort(Origins.begin(), Origins.end(),
              [](const OriginSummary &A, const OriginSummary &B) {
                return std::tie(A.ChainsAcrossIterations, A.NodesPerIteration,
                                A.Count) > std::tie(B.ChainsAcrossIterations,
                                                    B.NodesPerIteration,
                                                    B.Count);
              });
    if (Origins.size() > MaxOriginsPerSite)
      Origins.resize(MaxOriginsPerSite);
  }
  return Out;
}

} // namespace torch_tidy::probe
