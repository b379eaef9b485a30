"""Building blocks of the agreement programs: loop forms, where a kept value
lives, guards, and the Variant record the generator writes out."""

GRAPH_KEPT = "torch-graph-kept-across-iterations"
NO_GRAD = "torch-missing-no-grad"
ZERO_GRAD = "torch-missing-zero-grad"
RETAIN = "torch-retain-graph-in-loop"
ON_DEVICE = "torch-tensors-accumulated-on-device"
UNGUARDED = "torch-unguarded-parameter-update"
UNNAMED = "torch-unnamed-grad-guard"


class Variant:
    """One program: a function, its helpers, and what we believe it does.

    rules: the rules whose tables it belongs to (its pattern's rules).
    growth: we believe memory grows at its probe site every iteration.
    graph_unneeded: we believe it builds autograd graphs that no backward
      pass uses (what torch-missing-no-grad is about).
    not_measurable: rules whose effect the runtime cannot see in this
      program (e.g. summed gradients keep their size).
    growth_by_design: the growth is the program's purpose (one graph built
      over the loop on purpose, then one backward after it).
    """

    def __init__(self, name, description, pattern, rules, growth,
                 graph_unneeded, code, xtu_code="", xtu_decl="",
                 not_measurable=(), growth_by_design=False):
        self.name = name
        self.description = description
        self.pattern = pattern
        self.rules = list(rules)
        self.growth = growth
        self.graph_unneeded = graph_unneeded
        self.code = code
        self.xtu_code = xtu_code
        self.xtu_decl = xtu_decl
        self.not_measurable = list(not_measurable)
        self.growth_by_design = growth_by_design

    def manifest_entry(self):
        return {"name": self.name, "description": self.description,
                "pattern": self.pattern, "rules": self.rules,
                "intended": {"growth": self.growth,
                             "graph_unneeded": self.graph_unneeded},
                "not_measurable": self.not_measurable,
                "growth_by_design": self.growth_by_design}


SITE = "TORCH_TIDY_ITERATION();"
FETCH_BY_INDEX = ["torch::Tensor x = batchInput(i);",
                  "torch::Tensor y = batchLabels(i);"]
FETCH_FROM_BATCH = ["const int i = step++;", "torch::Tensor x = batch.data;",
                    "torch::Tensor y = batch.target;"]

# loop form -> (lines before the loop, loop header, first lines of the body
# after the marker). Every form defines i, x and y in the body.
LOOPS = {
    "for": ([], "for (int i = 0; i < kIterations; ++i) {", FETCH_BY_INDEX),
    "while": (["int step = 0;"], "while (step < kIterations) {",
              ["const int i = step++;"] + FETCH_BY_INDEX),
    "range": (["std::vector<torch::data::Example<>> batches = "
               "makeBatches(kIterations);", "int step = 0;"],
              "for (auto &batch : batches) {", FETCH_FROM_BATCH),
    "loader": (["auto loader = makeLoader(kIterations);", "int step = 0;"],
               "for (auto &batch : *loader) {", FETCH_FROM_BATCH),
}

# guard kind -> the statement that declares it.
GUARDS = {
    "nograd": "torch::NoGradGuard no_grad;",
    "inference": "c10::InferenceMode inference_guard;",
    "autograd_off": "torch::AutoGradMode grad_mode(false);",
    "unnamed": "torch::NoGradGuard();",
    "unnamed_brace": "torch::NoGradGuard{};",
}

# Kept values: C++ type of the container, its initial value (None: default
# constructed), the statement with {c} (container) and {v} (value), the
# helper parameter type of the value.
TENSOR_PARAM = "const torch::Tensor &"
KEEPS = {
    "acc": ("torch::Tensor", "torch::zeros({})", "{c} += {v};",
            TENSOR_PARAM),
    "acc_number": ("double", "0.0", "{c} += {v};", "double"),
    "push": ("std::vector<torch::Tensor>", None, "{c}.push_back({v});",
             TENSOR_PARAM),
    "push_number": ("std::vector<double>", None, "{c}.push_back({v});",
                    "double"),
    "push_clear": ("std::vector<torch::Tensor>", None,
                   "{c}.clear();\n{c}.push_back({v});", TENSOR_PARAM),
    "ema": ("torch::Tensor", "torch::zeros({})",
            "{c} = 0.9 * {c} + 0.1 * {v};", TENSOR_PARAM),
    "ema_number": ("double", "0.0", "{c} = 0.9 * {c} + 0.1 * {v};",
                   "double"),
    "last": ("torch::Tensor", "torch::Tensor()", "{c} = {v};", TENSOR_PARAM),
}


def indent(lines, level):
    pad = "  " * level
    out = []
    for line in lines:
        for part in line.split("\n"):
            out.append(pad + part if part else "")
    return out


def declare(ctype, init, name):
    return "%s %s = %s;" % (ctype, name, init) if init else \
        "%s %s;" % (ctype, name)


def loop_lines(form, body):
    """The loop of form `form` around `body` (lines), marker first."""
    before, header, fetch = LOOPS[form]
    return before + [header] + indent([SITE] + fetch + body, 1) + ["}"]


class KeptValue:
    """Where a kept value lives (storage) and how the loop reaches it
    (depth: through 0-2 helpers or a helper in another file)."""

    def __init__(self, name, kind, storage, depth):
        self.name = name
        self.ctype, self.init, self.stmt, self.vtype = KEEPS[kind]
        self.storage = storage
        self.depth = depth
        self.namespace_decls = []  # before the loop function
        self.xtu_code = ""
        self.xtu_decl = ""
        self.helper_lines = self._make_helpers()

    def container(self):
        return {"local": "kept", "lambda": "kept", "returned": "kept",
                "out_param": "kept", "static": self.name + "_kept",
                "member": "kept_", "map": 'kept["value"]'}[self.storage]

    def setup(self):
        """Lines in the loop function before the loop."""
        s = self.storage
        if s in ("local", "returned", "lambda"):
            lines = [declare(self.ctype, self.init, "kept")]
            if s == "lambda":
                lines.append("auto keep = [&kept](%sv) { %s };" % (
                    self.vtype_space(), self.statement("kept", "v")
                    .replace("\n", " ")))
            return lines
        if s == "static" and self.init:
            return ["%s = %s;" % (self.container(), self.init)]
        if s == "map":
            lines = ["std::map<std::string, %s> kept;" % self.ctype]
            if self.init:
                lines.append('kept["value"] = %s;' % self.init)
            return lines
        return []

    def vtype_space(self):
        return self.vtype if self.vtype.endswith("&") else self.vtype + " "

    def statement(self, c, v):
        return self.stmt.format(c=c, v=v)

    def keep_call(self, value):
        """The statement(s) in the loop body that keep `value`."""
        if self.storage == "lambda":
            return "keep(%s);" % value
        c = self.container()
        if self.depth == 0:
            return self.statement(c, value)
        return "%s_keep(%s, %s);" % (self.name, c, value)

    def helpers(self):
        """Same-file helper functions (depth 1 or 2)."""
        return self.helper_lines

    def _make_helpers(self):
        """Helper functions for depth >= 1 (same file), or the other file's
        helper and its declaration (xtu_code, xtu_decl)."""
        if self.storage == "lambda" or self.depth == 0:
            return []
        sig = "void %%s(%s &c, %sv)" % (self.ctype, self.vtype_space())
        body = indent([self.statement("c", "v")], 1)
        if self.depth == "xtu":
            self.xtu_code = "\n".join(
                [sig % (self.name + "_keep") + " {"] + body + ["}"])
            self.xtu_decl = "// Defined in xtu_helpers.cpp.\n" + \
                sig % (self.name + "_keep") + ";"
            return []
        if self.depth == 1:
            return ["static " + sig % (self.name + "_keep") + " {"] + body + \
                ["}"]
        return (["static " + sig % (self.name + "_keep_inner") + " {"] + body
                + ["}", "",
                   "static " + sig % (self.name + "_keep") + " {",
                   "  %s_keep_inner(c, v);" % self.name, "}"])


def assemble(name, kept, setup, loop, after=(), entry_guard=None,
             extra_decls=()):
    """The variant's code: its helpers, a loop function and the entry
    function `int name()` that main() calls. `kept` (a KeptValue or None)
    decides where the loop function keeps its value; `entry_guard` is a
    guard held by the entry function, the loop function's caller."""
    decls = list(extra_decls)
    storage = kept.storage if kept else "local"
    if kept:
        decls += kept.helpers()
        if storage == "static":
            decls.append("static " + declare(kept.ctype, None,
                                             name + "_kept"))
    inner = (kept.setup() if kept else []) + list(setup) + list(loop) + \
        list(after)
    guard = [GUARDS[entry_guard]] if entry_guard else []
    if storage == "member":
        decls += ["struct %s_Runner {" % name,
                  "  " + declare(kept.ctype, kept.init, "kept_"),
                  "  int run();", "};", "",
                  "int %s_Runner::run() {" % name] + \
            indent(inner + ["return 0;"], 1) + ["}"]
        entry = guard + ["%s_Runner runner;" % name, "return runner.run();"]
    elif storage == "returned":
        decls += ["static %s %s_collect() {" % (kept.ctype, name)] + \
            indent(inner + ["return kept;"], 1) + ["}"]
        entry = guard + ["%s kept = %s_collect();" % (kept.ctype, name),
                         "return 0;"]
    elif storage == "out_param":
        decls += ["static void %s_collect(%s &kept) {" % (name, kept.ctype)]\
            + indent(inner, 1) + ["}"]
        entry = guard + [declare(kept.ctype, kept.init, "kept"),
                         "%s_collect(kept);" % name, "return 0;"]
    else:
        decls += ["static int %s_loop() {" % name] + \
            indent(inner + ["return 0;"], 1) + ["}"]
        entry = guard + ["return %s_loop();" % name]
    code = decls + ["", "int %s() {" % name] + indent(entry, 1) + ["}"]
    return "\n".join(code)
