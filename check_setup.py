#!/usr/bin/env python3
"""Check that this computer is ready for the workshop. Run: python check_setup.py

Runs every check, prints one PASS/FAIL line each and a short summary to show a helper,
and exits non-zero if anything failed. A FAIL line says what is wrong and, after "->",
the command that fixes it, written for this computer (Windows, macOS or Linux). It prints
no environment variables. Works in the repository and in the unpacked workshop kit.

Its language: `--lang zh` or `--lang en`; else the kit's kit-language.txt (the Chinese
kit says zh); else PARKECON_LANG; else English. Commands stay as they are typed.
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WINDOWS = os.name == "nt"
IN_KIT = (HERE / "README.txt").is_file() and not (HERE / "_toc.yml").is_file()
VENV_PY = r".venv\Scripts\python" if WINDOWS else ".venv/bin/python"
results: list[tuple[str, bool, str]] = []

# The Chinese of every message (English template -> Chinese template; {fields} are filled after).
ZH = {
    "PASS": "通过", "FAIL": "未通过", "fix": "修复",
    "Python 3.11": "Python 3.11",
    "found {v}": "找到的是 {v}",
    "install Python 3.11 (python.org), then {cmd}": "安装 Python 3.11（python.org），然后运行 {cmd}",
    "running in the folder's .venv": "在本文件夹的 .venv 中运行",
    "this is {exe}": "当前是 {exe}",
    "{a}, then {b} -m pip install --no-deps -r requirements.txt, then {b} check_setup.py":
        "{a}，然后 {b} -m pip install --no-deps -r requirements.txt，然后 {b} check_setup.py",
    "requirements.txt present": "requirements.txt 存在",
    "not found next to this script": "在本脚本旁边找不到",
    "unzip the workshop kit again and run the check inside its folder": "重新解压工作坊资料包，并在其文件夹内运行检查",
    "{name} missing (want {version})": "缺少 {name}（需要 {version}）",
    "{name} {have} (want {version})": "{name} 的版本是 {have}（需要 {version}）",
    "all {n} pinned packages at their versions": "全部 {n} 个锁定版本的包都是所需版本",
    "; and {n} more": "；另有 {n} 个",
    "helper package parkecon importable": "辅助包 parkecon 可以导入",
    "data files present": "数据文件齐全",
    "missing: {files}": "缺少：{files}",
    "{n} tables": "{n} 张表",
    "unzip the workshop kit again (its data folder is complete)": "重新解压工作坊资料包（其中的 data 文件夹是完整的）",
    "data/datapackage.json not found": "找不到 data/datapackage.json",
    "unzip the workshop kit again": "重新解压工作坊资料包",
    "data files match their checksums": "数据文件与校验和一致",
    "changed or missing: {files}": "被修改或缺失：{files}",
    "copy these files from a fresh unzip of the kit (keep your edited copies elsewhere)":
        "从重新解压的资料包中复制这些文件（把你修改过的副本另存别处）",
    "data validate": "数据通过校验",
    "{n} problems, first: {first}": "{n} 个问题，第一个：{first}",
    "undo the edit it names, or copy the file from a fresh unzip of the kit": "撤销其中指出的修改，或从重新解压的资料包中复制该文件",
    "copy the data folder from a fresh unzip of the kit": "从重新解压的资料包中复制 data 文件夹",
    "a figure renders": "能画出图",
    "{n} bytes PNG": "PNG 图片 {n} 字节",
    "Chinese text in figures": "图中的中文",
    "a figure titled 韶关产业园区 renders": "标题为“韶关产业园区”的图能画出",
    "make venv   (or: {cmd})": "make venv   （或：{cmd}）",
    "Summary: {p} passed, {f} failed": "小结：{p} 项通过，{f} 项未通过",
    " -- show this to a helper. Failed: {names}": "——请把这些给助教看。未通过的项：{names}",
    " -- ready for the workshop.": "——可以参加工作坊了。",
}


def language(argv: list[str] | None = None) -> str:
    """'zh' or 'en': --lang, else the kit's kit-language.txt, else PARKECON_LANG, else English."""
    argv = sys.argv[1:] if argv is None else argv
    for i, a in enumerate(argv):
        if a.startswith("--lang="):
            return a.split("=", 1)[1].strip()
        if a == "--lang" and i + 1 < len(argv):
            return argv[i + 1].strip()
    kit_lang = HERE / "kit-language.txt"
    if kit_lang.is_file() and kit_lang.read_text(encoding="utf-8").strip():
        return kit_lang.read_text(encoding="utf-8").strip()
    return (os.environ.get("PARKECON_LANG") or "").strip() or "en"


LANG = "en"


def t(template: str, **fields) -> str:
    """A message in the check's language; `fields` are filled after translation."""
    if LANG == "zh":
        template = ZH.get(template, template)
    return template.format(**fields) if fields else template


def in_venv() -> bool:
    return sys.prefix != getattr(sys, "base_prefix", sys.prefix)


def pip_install(args: str) -> str:
    """The pip command that installs into the environment running this check."""
    return f"{VENV_PY if not in_venv() else _this_python()} -m pip install {args}"


def _this_python() -> str:
    exe = Path(sys.executable)
    try:
        rel = exe.relative_to(Path.cwd())
        return str(rel) if " " not in str(rel) else f'"{rel}"'
    except ValueError:
        return f'"{exe}"' if " " in str(exe) else str(exe)


def install_pins() -> str:
    return pip_install("--no-deps -r requirements.txt") if IN_KIT else t("make venv   (or: {cmd})", cmd=pip_install("--no-deps -r requirements.txt"))


def check(name: str, ok: bool, detail: str = "", fix: str = "") -> None:
    """One line: PASS or FAIL, what was checked, what was found, and for a failure the fixing command.
    `name` is the English name; it is printed in the check's language."""
    name = t(name)
    results.append((name, ok, detail))
    lp, rp = ("（", "）") if LANG == "zh" else ("(", ")")
    print(f"{t('PASS') if ok else t('FAIL')}  {name}" + (f"  {lp}{detail}{rp}" if detail else "")
          + (f"  -> {t('fix')}: {fix}" if fix and not ok else ""))


def applies(marker: str) -> bool:
    """Whether an environment marker (`sys_platform == "win32"`) holds on this computer."""
    if not marker:
        return True
    try:
        from packaging.markers import Marker
    except ImportError:  # packaging is itself a pin: its absence is reported as a failure
        return True
    return Marker(marker).evaluate()


def pins() -> list[tuple[str, str]]:
    """(name, version) of every pin in requirements.txt that applies to this computer."""
    out = []
    for line in (HERE / "requirements.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)\s*(?:;([^#]*))?", line.strip())
        if m and applies((m.group(3) or "").strip()):
            out.append((m.group(1), m.group(2)))
    return out


def main() -> int:
    global LANG
    LANG = language()
    if LANG not in ("en", "zh"):
        LANG = "en"
    v = sys.version_info
    make_venv = "py -3.11 -m venv .venv" if WINDOWS else "python3.11 -m venv .venv"
    check("Python 3.11", (v.major, v.minor) == (3, 11), t("found {v}", v=f"{v.major}.{v.minor}.{v.micro}"),
          t("install Python 3.11 (python.org), then {cmd}", cmd=make_venv))
    check("running in the folder's .venv", in_venv(), t("this is {exe}", exe=sys.executable),
          t("{a}, then {b} -m pip install --no-deps -r requirements.txt, then {b} check_setup.py", a=make_venv, b=VENV_PY))

    from importlib import metadata

    try:
        wanted = pins()
    except FileNotFoundError:
        wanted = []
        check("requirements.txt present", False, t("not found next to this script"),
              t("unzip the workshop kit again and run the check inside its folder"))
    bad = []
    for name, version in wanted:
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            bad.append(t("{name} missing (want {version})", name=name, version=version))
            continue
        if have != version:
            bad.append(t("{name} {have} (want {version})", name=name, have=have, version=version))
    for name, version in wanted:
        if name.lower() in {"jupyter-book", "jupyterlab", "pandas", "matplotlib", "seaborn", "jupytext"}:
            line_bad = [b for b in bad if b.split()[0] == name]
            check(f"{name}=={version}", not line_bad, line_bad[0] if line_bad else "", install_pins())
    check(t("all {n} pinned packages at their versions", n=len(wanted)), not bad and bool(wanted),
          "; ".join(bad[:5]) + (t("; and {n} more", n=len(bad) - 5) if len(bad) > 5 else ""), install_pins())

    try:
        import parkecon  # noqa: F401
        check("helper package parkecon importable", True)
    except Exception as exc:  # report, don't crash
        check("helper package parkecon importable", False, type(exc).__name__ + ": " + str(exc)[:120],
              pip_install("--no-deps -e ."))
        parkecon = None

    data = HERE / "data"
    import json

    try:
        pkg = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
        missing = [r["path"] for r in pkg["resources"] if not (data / r["path"]).is_file()]
        check("data files present", not missing, t("missing: {files}", files=", ".join(missing)) if missing
              else t("{n} tables", n=len(pkg["resources"])), t("unzip the workshop kit again (its data folder is complete)"))
    except FileNotFoundError:
        check("data files present", False, t("data/datapackage.json not found"), t("unzip the workshop kit again"))
    manifest = HERE / "MANIFEST.sha256"
    if manifest.is_file():
        wrong = []
        for line in manifest.read_text(encoding="utf-8").splitlines():
            digest, rel = line.split("  ", 1)
            p = HERE / rel
            if not p.is_file() or hashlib.sha256(p.read_bytes()).hexdigest() != digest:
                wrong.append(rel)
        check("data files match their checksums", not wrong, t("changed or missing: {files}", files=", ".join(wrong)) if wrong else "",
              t("copy these files from a fresh unzip of the kit (keep your edited copies elsewhere)"))
    if parkecon is not None:
        try:
            problems = parkecon.validate(data)
            check("data validate", not problems, t("{n} problems, first: {first}", n=len(problems), first=problems[0]) if problems else "",
                  t("undo the edit it names, or copy the file from a fresh unzip of the kit"))
        except Exception as exc:
            check("data validate", False, type(exc).__name__ + ": " + str(exc)[:120],
                  t("copy the data folder from a fresh unzip of the kit"))

    try:
        import io

        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(2, 1.5))
        ax.plot([0, 1], [0, 1])
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
        check("a figure renders", buf.getbuffer().nbytes > 1000, t("{n} bytes PNG", n=buf.getbuffer().nbytes),
              pip_install("--no-deps --force-reinstall -r requirements.txt"))
    except Exception as exc:
        check("a figure renders", False, (type(exc).__name__ + ": " + str(exc)[:120]).replace("\n", " "),
              pip_install("--no-deps --force-reinstall -r requirements.txt"))
    if parkecon is not None:
        try:
            import io

            import matplotlib.pyplot as plt

            parkecon.style.apply()  # registers the pinned CJK font; a missing glyph is an error
            fig, ax = plt.subplots(figsize=(2, 1.5))
            ax.set_title("韶关产业园区")
            buf = io.BytesIO()
            fig.savefig(buf, format="png")
            plt.close(fig)
            check("Chinese text in figures", True, t("a figure titled 韶关产业园区 renders"))
        except Exception as exc:
            check("Chinese text in figures", False, (type(exc).__name__ + ": " + str(exc)[:120]).replace("\n", " "),
                  pip_install("--no-deps -r requirements.txt"))

    failed = [n for n, ok, _ in results if not ok]
    print()
    sep = "、" if LANG == "zh" else ", "
    print(t("Summary: {p} passed, {f} failed", p=len(results) - len(failed), f=len(failed))
          + (t(" -- show this to a helper. Failed: {names}", names=sep.join(failed)) if failed
             else t(" -- ready for the workshop.")))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
