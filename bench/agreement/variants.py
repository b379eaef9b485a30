"""The catalogue of agreement variants: every pattern in its contexts.

Each family starts from a base context and varies one axis at a time
(where the kept value lives, the loop form, where backward runs, the guard,
the helper depth), so that a disagreement names the axis that caused it.
"""

import families
from codegen import (GRAPH_KEPT, GUARDS, NO_GRAD, UNNAMED, KeptValue,
                     Variant, assemble, indent, loop_lines)

STORAGES = ["local", "member", "static", "returned", "out_param", "lambda",
            "map"]
LOOP_FORMS = ["for", "range", "while", "loader"]
BACKWARDS = ["before", "after", "never", "every_k"]
DEPTHS = [0, 1, 2, "xtu"]

TRAIN_SETUP = ["TinyNet model;",
               "torch::optim::SGD opt(model->parameters(), 0.01);"]
EVAL_SETUP = ["TinyNet model;", "model->eval();"]
CE = "torch::nn::functional::cross_entropy"


def one_axis_at_a_time(base, axes):
    """The base context and, for each axis, every other value of it."""
    yield dict(base)
    for axis, values in axes.items():
        for value in values:
            if value != base[axis]:
                context = dict(base)
                context[axis] = value
                yield context


def context_name(c):
    return "%s_%s_%s_d%s" % (c["storage"], c["loop"], c.get("backward",
                                                            c.get("guard")),
                             c["depth"])


# ---------------------------------------------------------------------------
# Training loops that keep a per-iteration value.

# name -> (keep kind, value expression, graph kept?, description)
TRAIN_KEEPS = {
    "acc_loss": ("acc", "loss", True, "total += loss"),
    "acc_loss_detach": ("acc", "loss.detach()", False,
                        "total += loss.detach()"),
    "acc_loss_item": ("acc_number", "loss.item<double>()", False,
                      "total += loss.item<double>()"),
    "push_loss": ("push", "loss", True, "losses.push_back(loss)"),
    "push_loss_detach": ("push", "loss.detach()", False,
                         "losses.push_back(loss.detach())"),
    "push_loss_item": ("push_number", "loss.item<double>()", False,
                       "losses.push_back(loss.item<double>())"),
    "push_loss_clear": ("push_clear", "loss", False,
                        "losses cleared each iteration, then push_back(loss)"),
    "push_out": ("push", "out", True, "outputs.push_back(out)"),
    "push_out_detach": ("push", "out.detach()", False,
                        "outputs.push_back(out.detach())"),
    "ema_loss": ("ema", "loss", True, "ema = 0.9 * ema + 0.1 * loss"),
    "ema_loss_detach": ("ema", "loss.detach()", False,
                        "ema = 0.9 * ema + 0.1 * loss.detach()"),
    "ema_loss_item": ("ema_number", "loss.item<double>()", False,
                      "ema = 0.9 * ema + 0.1 * loss.item<double>()"),
    "last_loss": ("last", "loss", False, "last = loss (one graph kept)"),
}

BACKWARD_TEXT = {"before": "backward and step before the keep",
                 "after": "backward and step after the keep",
                 "never": "no backward", "every_k": "backward every 4th"}


def train_keep_variants():
    base = {"storage": "local", "loop": "for", "backward": "before",
            "depth": 0}
    axes = {"storage": STORAGES, "loop": LOOP_FORMS, "backward": BACKWARDS,
            "depth": DEPTHS}
    for keep_name, (kind, value, keeps_graph, text) in TRAIN_KEEPS.items():
        for c in one_axis_at_a_time(base, axes):
            if c["storage"] == "lambda" and c["depth"] != 0:
                continue
            name = "train_%s_%s" % (keep_name, context_name(c))
            kept = KeptValue(name, kind, c["storage"], c["depth"])
            keep = kept.keep_call(value)
            bwd = c["backward"]
            body = ([] if bwd == "never" else ["opt.zero_grad();"]) + [
                "torch::Tensor out = model(x);",
                "torch::Tensor loss = %s(out, y);" % CE]
            if bwd == "before":
                body += ["loss.backward();", "opt.step();", keep]
            elif bwd == "after":
                body += [keep, "loss.backward();", "opt.step();"]
            elif bwd == "never":
                body += [keep]
            else:
                body += [keep, "if (i % 4 == 3) {", "  loss.backward();",
                         "  opt.step();", "}"]
            setup = TRAIN_SETUP if bwd != "never" else ["TinyNet model;"]
            code = assemble(name, kept, setup, loop_lines(c["loop"], body))
            # Without backward every iteration builds a graph nobody uses;
            # kept, it keeps its saved activations too.
            growth = keeps_graph
            yield Variant(
                name, "%s; kept in %s, %s loop, %s, helper depth %s"
                % (text, c["storage"], c["loop"], BACKWARD_TEXT[bwd],
                   c["depth"]),
                "train-" + keep_name, [GRAPH_KEPT], growth, bwd == "never",
                code, kept.xtu_code, kept.xtu_decl)


# ---------------------------------------------------------------------------
# Evaluation loops: forward passes that need no graph.

# name -> (keep kind or None, value, description). Values use `out`.
EVAL_KEEPS = {
    "metric": (None, None, "correct += argmax == label (a number)"),
    "push_out": ("push", "out", "outputs.push_back(out)"),
    "push_out_detach": ("push", "out.detach()",
                        "outputs.push_back(out.detach())"),
    "push_pred": ("push", "out.argmax(1)", "preds.push_back(out.argmax(1))"),
    "val_loss": ("acc", CE + "(out, y)", "val_loss += cross_entropy(out, y)"),
    "val_loss_item": ("acc_number", CE + "(out, y).item<double>()",
                      "val_loss += cross_entropy(out, y).item<double>()"),
    "running": ("ema", "out.mean(0)", "running = 0.9 * running + 0.1 * "
                "out.mean(0)"),
    "running_detach": ("ema", "out.mean(0).detach()", "running = 0.9 * "
                       "running + 0.1 * out.mean(0).detach()"),
    "last_out": ("last", "out", "last = out (one graph kept)"),
}
# Values that carry the forward pass's graph when grad mode is on.
EVAL_GRAPH_VALUES = {"push_out", "val_loss", "running"}
# Guards that turn grad mode off for the forward pass.
EFFECTIVE_GUARDS = {"loopfn_nograd", "loopfn_inference",
                    "loopfn_autograd_off", "caller", "lambda", "body",
                    "helper"}
EVAL_GUARDS = ["none", "loopfn_nograd", "loopfn_inference",
               "loopfn_autograd_off", "caller", "lambda", "body", "helper",
               "unnamed", "unnamed_brace"]
GUARD_TEXT = {
    "none": "no guard", "loopfn_nograd": "NoGradGuard before the loop",
    "loopfn_inference": "InferenceMode before the loop",
    "loopfn_autograd_off": "AutoGradMode(false) before the loop",
    "caller": "NoGradGuard in the caller", "lambda":
    "forward in a lambda that holds NoGradGuard",
    "body": "NoGradGuard first in the loop body",
    "helper": "NoGradGuard in the forward helper",
    "unnamed": "unnamed torch::NoGradGuard(); before the loop",
    "unnamed_brace": "unnamed torch::NoGradGuard{}; before the loop"}


def forward_helpers(name, depth, guarded):
    """Helpers that run the forward pass for depth >= 1: (same-file code
    lines, other-file code, its declaration)."""
    guard = ["torch::NoGradGuard no_grad;"] if guarded else []
    sig = "torch::Tensor %s(TinyNet &model, const torch::Tensor &input)"
    inner = [sig % (name + "_forward") + " {"] + indent(
        guard + ["return model(input);"], 1) + ["}"]
    if depth == "xtu":
        return [], "\n".join(inner), "// Defined in xtu_helpers.cpp.\n" + \
            sig % (name + "_forward") + ";"
    if depth == 1:
        return ["static " + inner[0]] + inner[1:], "", ""
    inner[0] = "static " + (sig % (name + "_forward_inner")) + " {"
    return inner + ["", "static " + sig % (name + "_forward") + " {",
                    "  return %s_forward_inner(model, input);" % name,
                    "}"], "", ""


def eval_variants():
    base = {"storage": "local", "loop": "for", "guard": "none", "depth": 0}
    axes = {"guard": EVAL_GUARDS, "storage": STORAGES, "loop": LOOP_FORMS,
            "depth": DEPTHS}
    for keep_name, (kind, value, text) in EVAL_KEEPS.items():
        seen = set()
        contexts = list(one_axis_at_a_time(base, axes))
        # The fixed forms again under a guard, in every storage.
        if keep_name in EVAL_GRAPH_VALUES:
            contexts += [dict(base, guard="loopfn_nograd", storage=s)
                         for s in STORAGES]
        for c in contexts:
            if kind is None and c["storage"] != "local":
                continue
            if c["storage"] == "lambda" and c["depth"] != 0:
                continue
            guard = c["guard"]
            if guard == "helper" and c["depth"] == 0:
                c = dict(c, depth=1)
            key = tuple(sorted(c.items()))
            if key in seen:
                continue
            seen.add(key)
            name = "eval_%s_%s" % (keep_name, context_name(c))
            decls, xtu_code, xtu_decl = [], "", ""
            if c["depth"] != 0:
                decls, xtu_code, xtu_decl = forward_helpers(
                    name, c["depth"], guard == "helper")
                forward = "%s_forward(model, x)" % name
            elif guard == "lambda":
                forward = "infer(x)"
            else:
                forward = "model(x)"
            setup = list(EVAL_SETUP)
            if guard == "lambda":
                setup.append("auto infer = [&model](const torch::Tensor "
                             "&input) {\n  torch::NoGradGuard no_grad;\n"
                             "  return model(input);\n};")
            if guard.startswith("loopfn_"):
                setup.insert(0, GUARDS[guard[len("loopfn_"):]])
            if guard.startswith("unnamed"):
                setup.insert(0, GUARDS[guard])
            body = [GUARDS["nograd"]] if guard == "body" else []
            body.append("torch::Tensor out = %s;" % forward)
            kept = None
            if kind is None:
                setup.append("int64_t correct = 0;")
                body.append("correct += out.argmax(1).eq(y).sum()"
                            ".item<int64_t>();")
            else:
                kept = KeptValue(name, kind, c["storage"], c["depth"])
                body.append(kept.keep_call(value))
                xtu_code = xtu_code or kept.xtu_code
                xtu_decl = xtu_decl or kept.xtu_decl
                if kept.xtu_code and xtu_code != kept.xtu_code:
                    xtu_code += "\n\n" + kept.xtu_code
                    xtu_decl += "\n" + kept.xtu_decl
            code = assemble(name, kept, setup, loop_lines(c["loop"], body),
                            entry_guard="nograd" if guard == "caller"
                            else None, extra_decls=decls)
            unneeded = guard not in EFFECTIVE_GUARDS
            growth = unneeded and keep_name in EVAL_GRAPH_VALUES
            rules = [NO_GRAD]
            if kind is not None:
                rules.append(GRAPH_KEPT)
            if guard.startswith("unnamed"):
                rules.append(UNNAMED)
            yield Variant(
                name, "eval: %s; %s, kept in %s, %s loop, forward helper "
                "depth %s" % (text, GUARD_TEXT[guard], c["storage"],
                              c["loop"], c["depth"]),
                "eval-" + keep_name, rules, growth, unneeded, code,
                xtu_code, xtu_decl)


def all_variants():
    return list(train_keep_variants()) + list(eval_variants()) + \
        list(families.all_variants())
