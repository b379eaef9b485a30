"""Agreement variants written as whole templates: inference entry points,
recurrent state, create_graph/retain_graph, zero_grad, hand-written
parameter updates, device accumulation, and fixed accumulation forms."""

from codegen import (GRAPH_KEPT, GUARDS, NO_GRAD, ON_DEVICE, RETAIN,
                     UNGUARDED, ZERO_GRAD, Variant, assemble, indent,
                     loop_lines)

LOOP_FORMS = ["for", "range", "while", "loader"]
CE = "torch::nn::functional::cross_entropy"
TRAIN_SETUP = ["TinyNet model;",
               "torch::optim::SGD opt(model->parameters(), 0.01);"]


def guard_lines(kind):
    return [GUARDS[kind]] if kind else []


# ---------------------------------------------------------------------------
# Inference entry points without a loop of their own, called per request.

PREDICT_GUARDS = {"none": (None, None, None), "helper_nograd":
                  ("nograd", None, None), "helper_inference":
                  ("inference", None, None), "helper_autograd_off":
                  ("autograd_off", None, None), "loopfn": (None, "nograd",
                                                           None),
                  "caller": (None, None, "nograd")}


def predict_variants():
    # (guard, loop form, where predict is: "here", "xtu" (another file) or
    # "callback_xtu" (another file, called through a function pointer)).
    # Across files, the guard may be inside predict or held by its callers
    # here, so that predict is judged by its callers in another file.
    contexts = [(g, "for", "here") for g in PREDICT_GUARDS] + \
        [("none", l, "here") for l in LOOP_FORMS[1:]] + \
        [(g, "for", "xtu") for g in ("none", "helper_nograd",
                                     "helper_inference", "loopfn",
                                     "caller")] + \
        [(g, "for", "callback_xtu") for g in ("none", "helper_nograd",
                                              "loopfn")]
    for guard, loop, where in contexts:
        name = "predict_%s_%s%s" % (guard, loop,
                                    "" if where == "here" else "_" + where)
        in_helper, in_loopfn, in_caller = PREDICT_GUARDS[guard]
        helper = ["torch::Tensor %s_predict(TinyNet &model, const "
                  "torch::Tensor &input) {" % name] + indent(
                      guard_lines(in_helper) +
                      ["return model->forward(input).argmax(1);"], 1) + ["}"]
        decls, xtu_code, xtu_decl = [], "", ""
        if where != "here":
            xtu_code = "\n".join(helper)
            xtu_decl = "// Defined in xtu_helpers.cpp.\n" + helper[0][:-2] \
                + ";"
        else:
            decls = ["static " + helper[0]] + helper[1:]
        call = "%s_predict(model, x)" % name
        body = ["torch::Tensor pred = %s;" % call,
                "correct += pred.eq(y).sum().item<int64_t>();"]
        setup = guard_lines(in_loopfn) + ["TinyNet model;", "model->eval();",
                                          "int64_t correct = 0;"]
        if where == "callback_xtu":
            setup.append("torch::Tensor (*predict_fn)(TinyNet &, const "
                         "torch::Tensor &) = &%s_predict;" % name)
            body[0] = "torch::Tensor pred = predict_fn(model, x);"
        code = assemble(name, None, setup, loop_lines(loop, body),
                        entry_guard=in_caller, extra_decls=decls)
        unneeded = guard == "none"
        placement = {"here": "", "xtu": ", predict in another file",
                     "callback_xtu": ", predict in another file, called "
                     "through a function pointer"}[where]
        yield Variant(name, "predict(x) per request, argmax returned; guard "
                      "%s, %s loop%s" % (guard, loop, placement),
                      "entry-predict", [NO_GRAD], False, unneeded, code,
                      xtu_code, xtu_decl)


# keep name -> (statement in Execute, keeps a graph when grad is on)
EXECUTE_KEEPS = {
    "push_out": ("results_.push_back(out);", True),
    "push_out_detach": ("results_.push_back(out.detach());", False),
    "push_pred": ("results_.push_back(out.argmax(1));", False),
    "count_only": ("served_ += out.size(0);", False),
}
EXECUTE_GUARDS = {"none": (None, None, None), "execute_nograd":
                  ("nograd", None, None), "execute_inference":
                  ("inference", None, None), "loopfn": (None, "nograd", None),
                  "caller": (None, None, "nograd")}


def execute_variants():
    contexts = [(k, g, "for") for k in EXECUTE_KEEPS for g in
                EXECUTE_GUARDS] + [("push_out", "none", l)
                                   for l in LOOP_FORMS[1:]]
    for keep, guard, loop in contexts:
        name = "execute_%s_%s_%s" % (keep, guard, loop)
        in_execute, in_loopfn, in_caller = EXECUTE_GUARDS[guard]
        stmt, keeps_graph = EXECUTE_KEEPS[keep]
        decls = ["class %s_Service {" % name, "public:",
                 "  %s_Service() { model_->eval(); }" % name,
                 "  void Execute(const torch::Tensor &batch) {"] + indent(
                     guard_lines(in_execute) +
                     ["torch::Tensor out = model_->forward(batch);", stmt],
                     2) + ["  }", "",
                           "private:", "  TinyNet model_;",
                           "  std::vector<torch::Tensor> results_;",
                           "  int64_t served_ = 0;", "};"]
        setup = guard_lines(in_loopfn) + ["%s_Service service;" % name]
        code = assemble(name, None, setup,
                        loop_lines(loop, ["service.Execute(x);"]),
                        entry_guard=in_caller, extra_decls=decls)
        unneeded = guard == "none"
        yield Variant(name, "service.Execute(batch) per request: %s guard "
                      "%s, %s loop" % (stmt, guard, loop), "entry-execute",
                      [NO_GRAD, GRAPH_KEPT], unneeded and keeps_graph,
                      unneeded, code)


# ---------------------------------------------------------------------------
# Recurrent state carried across iterations.

RNN_FORMS = {
    "graph": ("{h} = cell(x, {h});", None, True),
    "detach": ("{h} = cell(x, {h}).detach();", None, False),
    "nograd": ("{h} = cell(x, {h});", "nograd", False),
    "inference": ("{h} = cell(x, {h});", "inference", False),
    # The new state read back through a local of the iteration.
    "via_local": ("torch::Tensor next = cell(x, {h}); {h} = next;", None,
                  True),
    "via_local_detach": ("torch::Tensor next = cell(x, {h}.detach()); "
                         "{h} = next;", None, False),
}


def rnn_variants():
    contexts = [(f, "local", "for") for f in RNN_FORMS] + \
        [("graph", s, "for") for s in ("member", "static", "map")] + \
        [("detach", s, "for") for s in ("member", "static", "map")] + \
        [("graph", "local", l) for l in LOOP_FORMS[1:]]
    for form, storage, loop in contexts:
        name = "rnn_stream_%s_%s_%s" % (form, storage, loop)
        stmt, guard, leaks = RNN_FORMS[form]
        decls = []
        h = {"local": "h", "member": "h_", "static": name + "_h",
             "map": 'state["h"]'}[storage]
        init = "torch::zeros({kBatch, kHidden})"
        setup = guard_lines(guard) + ["TinyCell cell;", "cell->eval();"]
        if storage == "local":
            setup.append("torch::Tensor h = %s;" % init)
        elif storage == "static":
            decls.append("static torch::Tensor %s;" % h)
            setup.append("%s = %s;" % (h, init))
        elif storage == "map":
            setup += ["std::map<std::string, torch::Tensor> state;",
                      'state["h"] = %s;' % init]
        inner = setup + loop_lines(loop, [stmt.format(h=h)])
        if storage == "member":
            decls += ["struct %s_Streamer {" % name,
                      "  torch::Tensor h_ = %s;" % init, "  int run();",
                      "};", "", "int %s_Streamer::run() {" % name] + \
                indent(inner + ["return 0;"], 1) + ["}"]
            code = "\n".join(decls + ["", "int %s() {" % name,
                                      "  %s_Streamer streamer;" % name,
                                      "  return streamer.run();", "}"])
        else:
            code = assemble(name, None, inner, [], extra_decls=decls)
        yield Variant(name, "streaming RNN state h = cell(x, h): %s; kept in "
                      "%s, %s loop" % (form, storage, loop), "rnn-stream",
                      [GRAPH_KEPT, NO_GRAD], leaks, guard is None, code)
    for form, loop in [("detach", l) for l in LOOP_FORMS] + \
            [("retain", l) for l in LOOP_FORMS]:
        name = "rnn_train_%s_%s" % (form, loop)
        setup = ["TinyCell cell;",
                 "torch::optim::SGD opt(cell->parameters(), 0.01);",
                 "torch::Tensor h = torch::zeros({kBatch, kHidden});"]
        if form == "detach":
            body = ["opt.zero_grad();", "h = cell(x, h.detach());",
                    "torch::Tensor loss = h.pow(2).mean();",
                    "loss.backward();", "opt.step();"]
        else:
            body = ["opt.zero_grad();", "h = cell(x, h);",
                    "torch::Tensor loss = h.pow(2).mean();",
                    "loss.backward(torch::Tensor(), /*retain_graph=*/true);",
                    "opt.step();"]
        code = assemble(name, None, setup, loop_lines(loop, body))
        yield Variant(name, "training RNN, state %s; %s loop" % (
            "detached each step" if form == "detach" else
            "not detached, backward(retain_graph=true)", loop),
            "rnn-train", [GRAPH_KEPT, RETAIN], form == "retain", False, code)


# ---------------------------------------------------------------------------
# create_graph / retain_graph.

GRAPH_PASSES = {
    "gp_backward_leaf": (
        ["opt.zero_grad();",
         "torch::Tensor xg = x.clone().requires_grad_(true);",
         "torch::Tensor score = model(xg).sum();",
         "score.backward(torch::Tensor(), true, true);", "opt.step();"],
        [RETAIN], True, (),
        "score.backward(create_graph) on a per-iteration leaf"),
    "gp_autograd_grad": (
        ["opt.zero_grad();",
         "torch::Tensor xg = x.clone().requires_grad_(true);",
         "torch::Tensor score = model(xg).sum();",
         "torch::Tensor g = torch::autograd::grad({score}, {xg}, {}, true, "
         "true)[0];", "g.pow(2).mean().backward();", "opt.step();"],
        [RETAIN], False, (),
        "gradient penalty through torch::autograd::grad (fixed form)"),
    "create_graph_no_zero": (
        ["torch::Tensor loss = %s(model(x), y);" % CE,
         "loss.backward(torch::Tensor(), false, true);", "opt.step();"],
        [RETAIN, ZERO_GRAD], True, (),
        "backward(create_graph=true) and no zero_grad"),
    "create_graph_zero": (
        ["opt.zero_grad();", "torch::Tensor loss = %s(model(x), y);" % CE,
         "loss.backward(torch::Tensor(), false, true);", "opt.step();"],
        [RETAIN], False, (),
        "backward(create_graph=true) with zero_grad first (libtorch 1.13's "
        "zero_grad detaches the gradients, which breaks the cycle)"),
    "retain_only": (
        ["opt.zero_grad();", "torch::Tensor loss = %s(model(x), y);" % CE,
         "loss.backward(torch::Tensor(), true);", "opt.step();"],
        [RETAIN], False, [RETAIN],
        "backward(retain_graph=true), nothing kept"),
    "retain_keep": (
        ["opt.zero_grad();", "torch::Tensor loss = %s(model(x), y);" % CE,
         "loss.backward(torch::Tensor(), true);", "opt.step();",
         "kept.push_back(loss);"],
        [RETAIN, GRAPH_KEPT], True, (),
        "backward(retain_graph=true), losses.push_back(loss)"),
}


def graph_pass_variants():
    for pattern, (body, rules, growth, blind, text) in GRAPH_PASSES.items():
        for loop in LOOP_FORMS:
            name = "%s_%s" % (pattern, loop)
            setup = list(TRAIN_SETUP)
            if pattern == "retain_keep":
                setup.append("std::vector<torch::Tensor> kept;")
            code = assemble(name, None, setup, loop_lines(loop, body))
            yield Variant(name, "%s; %s loop" % (text, loop), pattern, rules,
                          growth, False, code, not_measurable=blind)


# ---------------------------------------------------------------------------
# zero_grad: without create_graph the summed gradients keep their size, so
# the runtime cannot see this rule's effect.

ZERO_GRAD_FORMS = {
    "none": (["torch::Tensor loss = %s(model(x), y);" % CE,
              "loss.backward();", "opt.step();"], True,
             "no zero_grad in the loop"),
    "between": (["torch::Tensor loss = %s(model(x), y);" % CE,
                 "loss.backward();", "opt.zero_grad();", "opt.step();"],
                True, "zero_grad between backward and step"),
    "first": (["opt.zero_grad();",
               "torch::Tensor loss = %s(model(x), y);" % CE,
               "loss.backward();", "opt.step();"], False,
              "opt.zero_grad() first (fixed)"),
    "module": (["model->zero_grad();",
                "torch::Tensor loss = %s(model(x), y);" % CE,
                "loss.backward();", "opt.step();"], False,
               "model->zero_grad() first (fixed)"),
    "accumulate": (["torch::Tensor loss = %s(model(x), y) / 4;" % CE,
                    "loss.backward();", "if (i % 4 == 3) {", "  opt.step();",
                    "  opt.zero_grad();", "}"], False,
                   "gradient accumulation, step and reset every 4th (fixed)"),
}


def zero_grad_variants():
    for form, (body, missing, text) in ZERO_GRAD_FORMS.items():
        loops = LOOP_FORMS if form in ("none", "first") else ["for"]
        for loop in loops:
            name = "zero_grad_%s_%s" % (form, loop)
            code = assemble(name, None, TRAIN_SETUP, loop_lines(loop, body))
            yield Variant(name, "%s; %s loop" % (text, loop),
                          "zero-grad-" + form, [ZERO_GRAD], False, False,
                          code, not_measurable=[ZERO_GRAD])


# ---------------------------------------------------------------------------
# Hand-written parameter updates.

EMA_FORMS = {
    "graph": ("ema[k] = 0.99 * ema[k] + 0.01 * params[k];", None, True),
    "guarded": ("ema[k] = 0.99 * ema[k] + 0.01 * params[k];", "block", False),
    "detach": ("ema[k] = 0.99 * ema[k] + 0.01 * params[k].detach();", None,
               False),
    "inplace": ("ema[k].mul_(0.99).add_(params[k], 0.01);", None, True),
    "inplace_guarded": ("ema[k].mul_(0.99).add_(params[k], 0.01);", "block",
                        False),
}


def ema_weight_variants():
    train = ["opt.zero_grad();", "torch::Tensor loss = %s(model(x), y);" % CE,
             "loss.backward();", "opt.step();"]
    contexts = [(f, "inline", "for") for f in EMA_FORMS] + \
        [(f, w, "for") for f in ("graph", "guarded", "detach")
         for w in ("helper", "caller_guard", "xtu")] + \
        [("graph", "inline", l) for l in LOOP_FORMS[1:]] + \
        [("guarded", "inline", l) for l in LOOP_FORMS[1:]]
    for form, where, loop in contexts:
        if form != "graph" and where == "caller_guard":
            continue
        name = "ema_weights_%s_%s_%s" % (form, where, loop)
        stmt, guard, leaks = EMA_FORMS[form]
        update = ["for (size_t k = 0; k < params.size(); ++k)", "  " + stmt]
        if guard == "block":
            update = ["{", "  torch::NoGradGuard no_grad;"] + \
                indent(update, 1) + ["}"]
        setup = TRAIN_SETUP + [
            "std::vector<torch::Tensor> params = model->parameters();",
            "std::vector<torch::Tensor> ema;",
            "for (const torch::Tensor &p : params)",
            "  ema.push_back(p.detach().clone());"]
        decls, xtu_code, xtu_decl = [], "", ""
        sig = ("void %s_update(std::vector<torch::Tensor> &ema, const "
               "std::vector<torch::Tensor> &params)" % name)
        helper = [sig + " {"] + indent(update, 1) + ["}"]
        if where == "inline":
            body = train + update
        else:
            if where == "xtu":
                xtu_code = "\n".join(helper)
                xtu_decl = "// Defined in xtu_helpers.cpp.\n" + sig + ";"
            else:
                decls = ["static " + helper[0]] + helper[1:]
            call = "%s_update(ema, params);" % name
            if where == "caller_guard":
                call = "{ torch::NoGradGuard no_grad; %s }" % call
            body = train + [call]
        if where == "caller_guard":
            leaks = False
        code = assemble(name, None, setup, loop_lines(loop, body),
                        extra_decls=decls)
        yield Variant(name, "EMA copy of the weights: %s%s; update %s, %s "
                      "loop" % (stmt, " under NoGradGuard" if guard else "",
                                where, loop), "ema-weights",
                      [UNGUARDED], leaks, False, code, xtu_code, xtu_decl)


def momentum_variants():
    for guard, loop in [(g, "for") for g in ("none", "step", "caller")] + \
            [("none", l) for l in LOOP_FORMS[1:]] + \
            [("step", l) for l in LOOP_FORMS[1:]]:
        name = "hand_sgd_%s_%s" % (guard, loop)
        step = (["torch::NoGradGuard no_grad;"] if guard == "step" else []) \
            + ["for (size_t i = 0; i < params_.size(); ++i) {",
               "  torch::Tensor &p = params_[i];",
               "  auto update = p.grad();", "  update += 1e-4 * p;",
               "  velocity_[i] = 0.9 * velocity_[i] + update;",
               "  p.data().sub_(0.01 * velocity_[i]);", "}"]
        decls = ["class %s_Sgd {" % name, "public:",
                 "  explicit %s_Sgd(std::vector<torch::Tensor> params)"
                 % name, "      : params_(std::move(params)) {",
                 "    for (const torch::Tensor &p : params_)",
                 "      velocity_.push_back(torch::zeros_like(p));", "  }",
                 "  void step() {"] + indent(step, 2) + [
                     "  }", "", "private:",
                     "  std::vector<torch::Tensor> params_;",
                     "  std::vector<torch::Tensor> velocity_;", "};"]
        setup = ["TinyNet model;",
                 "%s_Sgd sgd(model->parameters());" % name]
        call = ["{", "  torch::NoGradGuard no_grad;", "  sgd.step();", "}"] \
            if guard == "caller" else ["sgd.step();"]
        body = ["model->zero_grad();",
                "torch::Tensor loss = %s(model(x), y);" % CE,
                "loss.backward();"] + call
        code = assemble(name, None, setup, loop_lines(loop, body),
                        extra_decls=decls)
        yield Variant(name, "hand-written SGD with momentum (update = p.grad();"
                      " update += wd * p; velocity_[i] = m * velocity_[i] + "
                      "update); guard %s, %s loop" % (guard, loop),
                      "hand-sgd", [UNGUARDED], guard == "none", False, code)


def statistic_module_program(name, constructor_init, member, update, loop):
    """A training loop over a module `name_Net` whose forward runs TinyNet
    and then `update` (lines) on a member declared as `member`."""
    decls = ["struct %s_NetImpl : torch::nn::Module {" % name,
             "  %s_NetImpl()" % name,
             "      : %s {}" % constructor_init,
             "  torch::Tensor forward(const torch::Tensor &x) {",
             "    torch::Tensor h = body(x);"] + indent(update, 2) + [
                 "    return h;", "  }", "  TinyNet body;",
                 "  %s" % member, "};", "TORCH_MODULE(%s_Net);" % name]
    setup = ["%s_Net model;" % name,
             "torch::optim::SGD opt(model->parameters(), 0.01);"]
    body = ["opt.zero_grad();", "torch::Tensor loss = %s(model(x), y);"
            % CE, "loss.backward();", "opt.step();"]
    return assemble(name, None, setup, loop_lines(loop, body),
                    extra_decls=decls)


def running_buffer_variants():
    for form, loop in [(f, "for") for f in ("graph", "detach", "guarded")] + \
            [("graph", l) for l in LOOP_FORMS[1:]]:
        name = "running_buffer_%s_%s" % (form, loop)
        value = {"graph": "h.mean(0)", "detach": "h.mean(0).detach()",
                 "guarded": "h.mean(0)"}[form]
        update = ["running_ = 0.9 * running_ + 0.1 * %s;" % value]
        if form == "guarded":
            update = ["{", "  torch::NoGradGuard no_grad;", "  " + update[0],
                      "}"]
        code = statistic_module_program(
            name, 'body(register_module("body", TinyNet())),\n'
            '        running_(register_buffer("running", '
            'torch::zeros({kClasses})))', "torch::Tensor running_;", update,
            loop)
        yield Variant(name, "registered buffer running_ = 0.9 * running_ + "
                      "0.1 * %s in forward%s; %s loop" % (
                          value, " under NoGradGuard" if form == "guarded"
                          else "", loop), "running-buffer", [UNGUARDED],
                      form == "graph", False, code)


def running_member_variants():
    """A statistic folded into a plain member inside forward, through a
    local (a hand-written BatchNorm): graph-kept at the call."""
    for form, loop in [(f, "for") for f in ("graph", "guarded")] + \
            [("graph", "range")]:
        name = "running_member_%s_%s" % (form, loop)
        update = ["torch::Tensor m = h.mean(0);",
                  "running_ = 0.9 * running_ + 0.1 * m;"]
        if form == "guarded":
            update = ["torch::Tensor m = h.mean(0);", "{",
                      "  torch::NoGradGuard no_grad;",
                      "  running_ = 0.9 * running_ + 0.1 * m;", "}"]
        code = statistic_module_program(
            name, 'body(register_module("body", TinyNet()))',
            "torch::Tensor running_ = torch::zeros({kClasses});", update,
            loop)
        yield Variant(name, "member running_ = 0.9 * running_ + 0.1 * m, m "
                      "a local of forward%s; %s loop" % (
                          " under NoGradGuard" if form == "guarded" else "",
                          loop), "running-member", [GRAPH_KEPT],
                      form == "graph", False, code)


def rollout_variants():
    """Values collected for one backward pass after an inner loop, in a
    buffer that outlives the outer loop: cleared each round, or never."""
    for form, loop in [("kept", l) for l in ("for", "range")] + \
            [("cleared", "for")]:
        name = "rollout_%s_%s" % (form, loop)
        setup = ["TinyNet actor;", "TinyNet critic;",
                 "torch::optim::SGD opt(actor->parameters(), 0.01);",
                 "std::vector<torch::Tensor> values;"]
        body = ["std::vector<torch::Tensor> outs;",
                "for (int t = 0; t < 4; ++t) {",
                "  values.push_back(critic(x));",
                "  outs.push_back(actor(x));", "}",
                "torch::Tensor advantage = "
                "torch::stack(values).slice(0, -4).detach();",
                "torch::Tensor loss = (torch::stack(outs) * advantage)"
                ".mean();",
                "opt.zero_grad();", "loss.backward();", "opt.step();"]
        if form == "cleared":
            body.append("values.clear();")
        code = assemble(name, None, setup, loop_lines(loop, body))
        yield Variant(name, "rollout values.push_back(critic(x)) in an "
                      "inner loop, one backward per round%s; %s loop" % (
                          ", values cleared each round" if form == "cleared"
                          else ", never cleared", loop), "rollout",
                      [GRAPH_KEPT], form == "kept", False, code)


# ---------------------------------------------------------------------------
# Device accumulation: only CUDA memory shows it.

def device_variants():
    for form in ("pred", "pred_cpu", "out", "out_cpu"):
        for loop in ("for", "range"):
            name = "device_%s_%s" % (form, loop)
            value = {"pred": "out.argmax(1)", "pred_cpu":
                     "out.argmax(1).cpu()", "out": "out.detach()",
                     "out_cpu": "out.detach().cpu()"}[form]
            setup = ["torch::Device device = torch::cuda::is_available() ? "
                     "torch::kCUDA : torch::kCPU;", "TinyNet model;",
                     "model->to(device);", "model->eval();",
                     "torch::NoGradGuard no_grad;",
                     "std::vector<torch::Tensor> kept;"]
            body = ["torch::Tensor out = model(x.to(device));",
                    "kept.push_back(%s);" % value]
            code = assemble(name, None, setup, loop_lines(loop, body))
            yield Variant(name, "evaluation on the GPU when there is one, "
                          "kept.push_back(%s); %s loop" % (value, loop),
                          "device-accumulation", [ON_DEVICE], False, False,
                          code, not_measurable=[ON_DEVICE])


# ---------------------------------------------------------------------------
# Accumulators with their own backward: bounded, or growing by design.

def own_backward_variants():
    for loop in LOOP_FORMS:
        name = "reset_after_backward_%s" % loop
        setup = TRAIN_SETUP + ["torch::Tensor acc = torch::zeros({});"]
        body = ["torch::Tensor loss = %s(model(x), y);" % CE,
                "acc = acc + loss / 4;", "if (i % 4 == 3) {",
                "  acc.backward();", "  opt.step();", "  opt.zero_grad();",
                "  acc = torch::zeros({});", "}"]
        code = assemble(name, None, setup, loop_lines(loop, body))
        yield Variant(name, "acc = acc + loss / 4, backward and reset every "
                      "4th; %s loop" % loop, "reset-after-backward",
                      [GRAPH_KEPT], False, False, code)
    for loop in ("for", "range"):
        name = "one_graph_on_purpose_%s" % loop
        setup = TRAIN_SETUP + ["torch::Tensor total = torch::zeros({});"]
        body = ["total = total + %s(model(x), y);" % CE]
        after = ["total.backward();", "opt.step();"]
        code = assemble(name, None, setup, loop_lines(loop, body), after)
        yield Variant(name, "one graph over the loop on purpose, one "
                      "backward after it; %s loop" % loop, "one-graph",
                      [GRAPH_KEPT], True, False, code,
                      growth_by_design=True)


def all_variants():
    for family in (predict_variants, execute_variants, rnn_variants,
                   graph_pass_variants, zero_grad_variants,
                   ema_weight_variants, momentum_variants,
                   running_buffer_variants, running_member_variants,
                   rollout_variants, device_variants,
                   own_backward_variants):
        yield from family()
