"""The pieces of the never-stale build, without building: read records, their checks, the toc."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT
from parkecon.machinery import cache, kernel_reads, toc


def run_recorded(root: Path, code: str, tmp_path: Path) -> list[dict]:
    """Run `code` in a fresh Python with the read recorder installed as the build installs it."""
    log = tmp_path / "reads.jsonl"
    log.write_text("", encoding="utf-8")
    recorder = Path(kernel_reads.__file__).read_text(encoding="utf-8")
    script = tmp_path / "run.py"
    script.write_text(recorder + "\n\n" + textwrap.dedent(code), encoding="utf-8")
    env = {**os.environ, "PARKECON_READS_LOG": str(log), "PARKECON_READS_ROOT": str(root),
           "PYTHONPATH": str(root)}
    subprocess.run([sys.executable, str(script)], cwd=root, env=env, check=True, timeout=60)
    return cache.parse_reads(log.read_text(encoding="utf-8"))


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "book"
    (root / "data" / "geo").mkdir(parents=True)
    (root / "data" / "facts.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (root / "data" / "geo" / "x.geojson").write_text("{}", encoding="utf-8")
    (root / "mypkg").mkdir()
    (root / "mypkg" / "__init__.py").write_text("VALUE = 1\n", encoding="utf-8")
    (root / ".venv").mkdir()
    (root / ".venv" / "ignored.txt").write_text("x", encoding="utf-8")
    return root


def test_recorder_sees_files_folders_and_modules_but_not_writes(tree, tmp_path):
    reads = run_recorded(tree, """
        import glob, pathlib
        import pandas  # outside the root: not recorded
        open("data/facts.csv").read()
        pathlib.Path("data/geo").glob("*.geojson").__next__().read_text()
        import mypkg
        open(".venv/ignored.txt").read()
        open("out.txt", "w").write("written, not read")
    """, tmp_path)
    got = {(r["path"], r["kind"]) for r in reads}
    assert {("data/facts.csv", "file"), ("data/geo", "dir"), ("data/geo/x.geojson", "file"),
            ("mypkg/__init__.py", "file")} <= got
    assert not any(p.startswith(".venv") or p == "out.txt" for p, _ in got), got
    assert all(r["sha256"] and len(r["sha256"]) == 64 for r in reads)


def test_compiled_module_is_recorded_as_its_source(tree):
    pyc = tree / "mypkg" / "__pycache__" / "__init__.cpython-311.pyc"
    assert kernel_reads.relative(str(pyc), str(tree.resolve())) == "mypkg/__init__.py"
    assert kernel_reads.relative(str(tree.parent / "elsewhere.csv"), str(tree.resolve())) is None


def test_a_record_holds_until_what_it_read_changes(tree, tmp_path):
    reads = run_recorded(tree, """
        import os
        open("data/facts.csv").read(); os.listdir("data/geo")
    """, tmp_path)
    env = cache.environment_key()
    data = {cache.READS_KEY: reads, cache.ENV_KEY: env}
    assert cache.stale_reason(data, tree, env) is None
    (tree / "data" / "geo" / "y.geojson").write_text("{}", encoding="utf-8")
    assert cache.stale_reason(data, tree, env) == "data/geo changed"
    (tree / "data" / "geo" / "y.geojson").unlink()
    (tree / "data" / "facts.csv").write_text("a,b\n1,3\n", encoding="utf-8")
    assert cache.stale_reason(data, tree, env) == "data/facts.csv changed"
    (tree / "data" / "facts.csv").unlink()
    assert cache.stale_reason(data, tree, env) == "data/facts.csv is gone"


def test_a_moved_tree_keeps_its_records(tree, tmp_path):
    reads = run_recorded(tree, 'open("data/facts.csv").read()', tmp_path)
    moved = tmp_path / "moved"
    tree.rename(moved)
    env = cache.environment_key()
    assert cache.stale_reason({cache.READS_KEY: reads, cache.ENV_KEY: env}, moved, env) is None


@pytest.mark.parametrize("data, reason", [
    (None, "no record of what it read"),
    ({"execution_seconds": 1.0}, "no record of what it read"),
    ({cache.READS_KEY: "truncated", cache.ENV_KEY: "x"}, "no record of what it read"),
    ({cache.READS_KEY: [{"path": "data/facts.csv"}], cache.ENV_KEY: "env"}, "its record of reads is corrupt"),
    ({cache.READS_KEY: [], cache.ENV_KEY: "another environment"}, "the Python environment changed"),
])
def test_missing_or_corrupt_records_are_stale_not_fatal(tree, data, reason):
    assert cache.stale_reason(data, tree, "env") == reason


def test_toc_is_read_by_the_toc_parser(tmp_path):
    (tmp_path / "_toc.yml").write_text(textwrap.dedent("""\
        format: jb-book
        root: intro
        parts:
          - caption: Analyses
            numbered: true
            chapters:
              - file: notebooks/a.md
              # - file: notebooks/commented-out
              - file: notebooks/b
                sections:
                  - file: notebooks/b-detail
          - caption: Appendix
            chapters:
              - file: book/sources
        """), encoding="utf-8")
    notebook = "---\njupytext:\n  text_representation:\n    format_name: myst\nkernelspec:\n  name: python3\n---\n# x\n"
    for name in ["intro.md", "notebooks/a.md", "notebooks/b.md", "notebooks/b-detail.md", "book/sources.md",
                 "notebooks/commented-out.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(notebook if name.startswith("notebooks/") else "# x\n", encoding="utf-8")
    assert toc.docnames(tmp_path) == ["intro", "notebooks/a", "notebooks/b", "notebooks/b-detail", "book/sources"]
    assert [p.name for p in toc.chapters(tmp_path)] == ["a.md", "b.md"]  # a section is part of its chapter
    assert toc.pages(tmp_path)[1:4] == [("notebooks/a", 1), ("notebooks/b", 2), ("notebooks/b-detail", None)]


def test_the_books_toc_lists_the_chapters_in_order():
    names = toc.docnames(ROOT)
    assert names[0] == "book/intro"
    assert [p.stem for p in toc.chapters(ROOT)] == [n.split("/")[1] for n in names if n.startswith("notebooks/")]


def test_library_interfaces_the_build_relies_on(tmp_path):
    """The build uses these interfaces of myst-nb, myst-parser, jupyter-cache and Sphinx (listed in
    prerun.py and sphinxext.py). If an upgrade changes one, this names it."""
    import inspect

    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.executors.utils import single_nb_execution
    from myst_nb.core.config import NbParserConfig
    from myst_nb.core.read import create_nb_reader
    from myst_parser.config.main import merge_file_level
    from sphinx.application import Sphinx

    assert list(inspect.signature(create_nb_reader).parameters) == ["path", "md_config", "nb_config", "content"]
    assert list(inspect.signature(merge_file_level).parameters)[:3] == ["config", "topmatter", "warning"]
    assert {"cwd", "allow_errors", "timeout", "meta_override"} <= set(inspect.signature(single_nb_execution).parameters)
    assert {"nb", "uri", "data"} <= set(CacheBundleIn.model_fields if hasattr(CacheBundleIn, "model_fields")
                                         else inspect.signature(CacheBundleIn).parameters)
    fields = {name for name, _, _ in NbParserConfig().as_triple()}
    assert {"execution_mode", "execution_allow_errors", "execution_timeout", "execution_in_temp",
            "execution_excludepatterns", "execution_cache_path", "metadata_key"} <= fields
    cache_cls = type(get_cache(str(tmp_path / "cache")))
    for method in ("match_cache_notebook", "remove_cache", "cache_notebook_bundle", "list_cache_records"):
        assert callable(getattr(cache_cls, method, None)), f"jupyter-cache lost {method}"
    assert "_warncount" in inspect.getsource(Sphinx), "Sphinx no longer counts warnings in Sphinx._warncount"
    from sphinx.domains.std import StandardDomain
    from sphinx.environment import BuildEnvironment

    env_source = inspect.getsource(BuildEnvironment.__init__)
    for attribute in ("toctree_includes", "toc_fignumbers", "toc_secnumbers", "titles"):
        assert f"self.{attribute}" in env_source, f"Sphinx's environment lost {attribute}"
    assert isinstance(StandardDomain.labels, property) and isinstance(StandardDomain.anonlabels, property)


def test_a_corrupt_execution_cache_is_started_anew(tmp_path):
    from parkecon.machinery import prerun

    cache_dir = tmp_path / ".jupyter_cache"
    cache_dir.mkdir()
    (cache_dir / "global.db").write_bytes(b"this is not a database" * 100)
    said = []
    c = prerun.open_cache(cache_dir, said.append)
    assert c.list_cache_records() == []
    assert said and "unreadable" in said[0]
