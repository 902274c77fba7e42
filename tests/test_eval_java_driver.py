"""The Java test driver built once per machine (lintseq_hf/evaluation/java_driver.py): every sample gets its
own copy under a fresh name, javac starts from the cached archive, and no sample can change the cache (or its
own copy) for the next one."""

from __future__ import annotations

import base64
import hashlib
import os

import pytest
from compiled_cases import honest_completion, problems

from lintseq_hf.evaluation.assembly import assemble, sandbox_job
from lintseq_hf.evaluation.java_driver import NAME_LENGTH, java_driver, placeholder
from lintseq_hf.evaluation.scoring import score


def _job(family: str):
    problem = problems(family)[0]
    return sandbox_job(problem, assemble(problem, honest_completion(family, problem), "completion"))


def test_each_job_gets_its_own_copy_of_the_prebuilt_driver_under_a_fresh_name():
    first, second = _job("multiple_java"), _job("multiple_java")
    built = java_driver(first.compile[0][0])
    names = []
    for job in (first, second):
        (file, data), = job.binary_files.items()
        driver, raw = file.removesuffix(".class"), base64.b64decode(data)
        template = built.templates["Problem"]
        assert job.run[-1] == driver and len(driver) == NAME_LENGTH
        assert len(raw) == len(template) and placeholder("Problem").encode() not in raw
        assert raw.count(driver.encode()) == template.count(placeholder("Problem").encode()) >= 1
        assert list(job.files) == ["Problem.java"] and job.remove_after_compile == ("Problem.java",)
        assert "-proc:none" in job.compile[0]
        if built.archive is not None:
            assert f"-J-XX:SharedArchiveFile={built.archive}" in job.compile[0]
        names.append(driver)
    assert names[0] != names[1]
    assert _job("humanevalpack_java").run[-1] not in names


def test_a_driver_name_of_another_length_is_refused():
    built = java_driver(_job("multiple_java").compile[0][0])
    with pytest.raises(ValueError, match="Lshort"):
        built.driver_class("Lshort", "Problem")


def _fingerprint(folder) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="the cache is out of a sample's reach under a separate uid (root)")
def test_a_sample_cannot_change_the_cached_driver_or_javac_archive_for_the_next_sample():
    """A sample that overwrites, deletes and plants files in the cache folder and overwrites its own copy
    of the driver class: the cache stays byte for byte, and the samples after it on the same worker are
    judged as before (honest passes, wrong fails)."""
    family = "multiple_java"
    problem = problems(family)[0]
    built = java_driver(_job(family).compile[0][0])
    before = _fingerprint(built.folder)
    targets = [built.folder / name for name in before] + [built.folder / "Problem.class"]
    listed = ", ".join(f'"{target}"' for target in targets)
    hostile = (f"        for (String target : new String[] {{{listed}}}) {{\n"
               "            try (FileOutputStream out = new FileOutputStream(target)) { out.write(0); } catch (Exception e) { }\n"
               "            new File(target).delete();\n"
               "        }\n"
               "        for (File own : new File(\".\").listFiles()) {\n"
               "            if (own.getName().endsWith(\".class\")) {\n"
               "                try (FileOutputStream out = new FileOutputStream(own)) { out.write(0); } catch (Exception e) { }\n"
               "            }\n"
               "        }\n"
               "        return false;")
    texts = {"hostile": hostile, "honest": honest_completion(family, problem), "wrong": "        return false;"}
    samples = [{"task_id": problem.task_id, "completion": text} for text in texts.values()]
    _, results = score([problem], samples, mode="completion", ks=[1], workers=1)
    verdicts = dict(zip(texts, (r.status for r in results)))
    assert verdicts["hostile"] != "passed" and verdicts["wrong"] == "failed", results
    assert verdicts["honest"] == "passed", results[1].detail
    assert _fingerprint(built.folder) == before
