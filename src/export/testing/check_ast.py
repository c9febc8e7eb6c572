"""Checks that generated Python contains only the statements the exporter meant (run by pytorch.test.ts).

Usage: check_ast.py CASE.json; prints a JSON list of problems (empty when the files are clean).

CASE: {"model": path, "train": path, "benignTrain": path, "className": str, "texts": [free text that
must survive only inside string literals and comments], "markers": [words of the hostile text that must
never appear as code]}.
Needs only the standard library (ast, tokenize), so any python3 runs it.
"""
import ast
import io
import json
import sys
import tokenize

# The builtins model.py may use; every other name it reads must be one it binds itself (imports, the
# class, parameters, assignments, comprehension variables).
MODEL_BUILTINS = {"super", "sum", "print", "type", "isinstance", "tuple", "ValueError", "float", "__name__"}
FORBIDDEN_NAMES = {"__import__", "exec", "eval", "compile", "open", "os", "sys", "subprocess", "getattr", "setattr",
                   "globals", "locals", "vars", "breakpoint", "input", "__builtins__", "importlib", "pickle"}


def bound_names(tree):
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def code_tokens(source):
    """The source's tokens that are code: no strings, no comments."""
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.STRING, tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            continue
        if hasattr(tokenize, "FSTRING_START") and tok.type in (tokenize.FSTRING_START, tokenize.FSTRING_MIDDLE, tokenize.FSTRING_END):
            continue
        out.append(tok.string)
    return out


def strip_strings(tree, class_name):
    """The tree with every string constant blanked and the model class renamed: its structure only."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = ""
        if isinstance(node, ast.alias) and node.name == class_name:
            node.name = "Model_"
    return ast.dump(tree, include_attributes=False)


def check_model(path, class_name, problems):
    source = open(path, encoding="utf-8").read()
    tree = ast.parse(source)
    body = tree.body
    if not (isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)):
        problems.append("model.py does not start with its docstring")
    imports = [ast.dump(n) for n in body if isinstance(n, (ast.Import, ast.ImportFrom))]
    expected = [ast.dump(n) for n in ast.parse("import torch\nimport torch.nn as nn\nimport torch.nn.functional as F").body]
    if imports != expected:
        problems.append(f"model.py imports {imports}")
    classes = [n for n in body if isinstance(n, ast.ClassDef)]
    if len(classes) != 1 or classes[0].name != class_name:
        problems.append(f"model.py defines classes {[c.name for c in classes]}")
    for node in body[1:]:
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.ClassDef)):
            continue
        main_guard = (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Compare)
            and isinstance(node.test.left, ast.Name)
            and node.test.left.id == "__name__"
        )
        if not main_guard:
            problems.append(f"model.py has an unexpected top-level statement: {ast.dump(node)[:200]}")
    if classes:
        cls = classes[0]
        if cls.bases and not (isinstance(cls.bases[0], ast.Attribute) and cls.bases[0].attr == "Module"):
            problems.append("the model class is not an nn.Module")
        for node in cls.body[1:]:
            if isinstance(node, ast.FunctionDef):
                if node.name not in ("__init__", "forward", "load_weights"):
                    problems.append(f"unexpected method {node.name}")
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                if names not in (["INPUT_SHAPES"], ["OUTPUT_SHAPES"], ["OUTPUT_IS_PROBABILITY"]):
                    problems.append(f"unexpected class attribute {names}")
            else:
                problems.append(f"unexpected class statement {ast.dump(node)[:200]}")
    bound = bound_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id in FORBIDDEN_NAMES:
                problems.append(f"model.py uses {node.id}")
            elif isinstance(node.ctx, ast.Load) and node.id not in bound and node.id not in MODEL_BUILTINS:
                problems.append(f"model.py reads a name it never defines: {node.id}")
        if isinstance(node, (ast.Global, ast.Nonlocal, ast.Lambda)):
            problems.append(f"model.py has {type(node).__name__}")
        # forward() releases dead locals with `del x1, x2` (../schedule.ts); nothing else may be deleted.
        if isinstance(node, ast.Delete) and not all(isinstance(t, ast.Name) and t.id in bound for t in node.targets):
            problems.append(f"model.py deletes something other than its own locals: {ast.dump(node)[:200]}")
        if isinstance(node, ast.Name) and not node.id.isascii():
            problems.append(f"model.py has a non-ASCII name {node.id!r}")
    return source, tree


def main():
    case = json.load(open(sys.argv[1], encoding="utf-8"))
    problems = []
    model_source, model_tree = check_model(case["model"], case["className"], problems)
    train_source = open(case["train"], encoding="utf-8").read()
    benign_train = open(case["benignTrain"], encoding="utf-8").read()
    train_tree = ast.parse(train_source)
    benign_class = case.get("benignClassName", case["className"])
    if strip_strings(train_tree, case["className"]) != strip_strings(ast.parse(benign_train), benign_class):
        problems.append("train.py differs in structure from a benign design's train.py")
    for name, source in (("model.py", model_source), ("train.py", train_source)):
        code = " ".join(code_tokens(source))
        for marker in case["markers"]:
            if marker in code:
                problems.append(f"{name}: '{marker}' appears outside strings and comments")
    # The free text survives, escaped, inside the docstrings.
    docs = "\n".join(
        ast.get_docstring(node, clean=False) or ""
        for node in ast.walk(model_tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
    )
    # Words and their order must survive; line breaks and indentation may differ (docstrings are wrapped).
    flat_docs = " ".join(docs.split())
    for text in case["texts"]:
        if " ".join(text.split()) not in flat_docs:
            problems.append(f"text {text[:40]!r} is not intact in the docstrings")
    print(json.dumps(problems))


if __name__ == "__main__":
    main()
