"""The Module Loader zip: a valid manifest, every installdefs path in the zip, nothing else.

Also checks the package against the connector's contract (module, table, field,
link and dropdown names) and that every label the package uses exists in
en_us and it_it, by loading the PHP definitions with php-cli.
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from scripts import build_module
from tests.module.conftest import MODULE_SOURCE, PHP_HELPERS

MODULES = ("CJ_Journeys", "CJ_Touchpoints", "CJ_Corrections")
STAGES = ["awareness", "evaluation", "decision", "purchase", "loyalty"]
DROPDOWNS = {
    "cj_stage_dom": STAGES,
    "cj_status_dom": ["active", "won", "lost", "stalled", "at_risk"],
    "cj_channel_dom": [
        "email",
        "phone",
        "meeting",
        "web",
        "social",
        "campaign",
        "event",
        "store",
        "support",
        "document",
        "other",
    ],
    "cj_phase_dom": ["pre_purchase", "purchase", "post_purchase"],
    "cj_mode_dom": ["online", "offline"],
    "cj_managed_by_dom": ["company", "third_party"],
    "cj_direction_dom": ["inbound", "outbound", "none"],
    "cj_correction_dom": [*STAGES, "not_a_touchpoint"],
}
JOURNEY_FIELDS = {
    "name": "name",
    "account_id": "id",
    "contact_id": "id",
    "current_stage": "enum",
    "awareness_date": "datetime",
    "evaluation_date": "datetime",
    "decision_date": "datetime",
    "purchase_date": "datetime",
    "loyalty_date": "datetime",
    "status": "enum",
    "health_score": "int",
    "touchpoint_count": "int",
    "first_touch_date": "datetime",
    "last_touch_date": "datetime",
    "last_channel": "enum",
    "days_in_stage": "int",
    "cost_to_serve": "decimal",
    "timeline_json": "longtext",
    "sync_hash": "varchar",
    "date_synced": "datetime",
}
TOUCHPOINT_FIELDS = {
    "name": "name",
    "journey_id": "id",
    "account_id": "id",
    "stage": "enum",
    "phase": "enum",
    "channel": "enum",
    "mode": "enum",
    "managed_by": "enum",
    "direction": "enum",
    "occurred_at": "datetime",
    "source_module": "varchar",
    "source_id": "id",
    "rule_id": "varchar",
    "external_key": "varchar",
    "sync_hash": "varchar",
    "rule_stage": "enum",
    "corrected_stage": "enum",
    "review": "enum",
}
CORRECTION_FIELDS = {
    "touchpoint_key": "varchar",
    "source_module": "varchar",
    "source_id": "id",
    "account_id": "id",
    "contact_id": "id",
    "stage": "enum",
    "previous_stage": "enum",
    "rule_id": "varchar",
    "corrected_by": "id",
    "corrected_at": "datetime",
}


@pytest.fixture(scope="module")
def built_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_module.build(out_dir=tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def unpacked(built_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(built_zip) as archive:
        archive.extractall(target)
    return target


@pytest.fixture(scope="module")
def manifest(php: str, unpacked: Path) -> dict[str, Any]:
    code = (
        "define('sugarEntry', true); include 'manifest.php';"
        " echo json_encode(array('manifest' => $manifest, 'installdefs' => $installdefs));"
    )
    result = subprocess.run(
        [php, "-r", code], cwd=unpacked, capture_output=True, text=True, check=False, timeout=30
    )
    assert result.returncode == 0, result.stdout + result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


@pytest.fixture(scope="module")
def defs(php: str) -> dict[str, Any]:
    result = subprocess.run(
        [php, str(PHP_HELPERS / "dump_defs.php"), str(MODULE_SOURCE)],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def install_paths(installdefs: dict[str, Any]) -> list[str]:
    """Every '<basepath>/...' path the installdefs name, resolved inside the zip."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and value.startswith("<basepath>"):
            found.append(value.removeprefix("<basepath>").lstrip("/"))

    walk(installdefs)
    return found


def test_manifest_is_at_the_zip_root_with_the_connector_version(
    built_zip: Path, manifest: dict[str, Any]
) -> None:
    version = build_module.read_version()
    assert built_zip.name == f"suitecrm-journey-{version}.zip"
    with zipfile.ZipFile(built_zip) as archive:
        assert "manifest.php" in archive.namelist()
        assert archive.testzip() is None
    m = manifest["manifest"]
    assert m["version"] == version
    assert m["type"] == "module"
    assert m["is_uninstallable"] is True
    assert m["remove_tables"] == "prompt"
    assert m["acceptable_sugar_flavors"] == ["CE"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", m["published_date"])
    assert "@" not in json.dumps(m)


@pytest.mark.parametrize(
    ("key", "version", "accepted"),
    [
        ("acceptable_sugar_versions", "6.5.25", True),
        ("acceptable_sugar_versions", "7.14.6", False),
        ("acceptable_suitecrm_versions", "7.12.0", True),
        ("acceptable_suitecrm_versions", "7.13.4", True),
        ("acceptable_suitecrm_versions", "7.14.6", True),
        ("acceptable_suitecrm_versions", "8.8.0", True),
        ("acceptable_suitecrm_versions", "7.11.22", False),
        ("acceptable_suitecrm_versions", "7.10.0", False),
    ],
)
def test_version_regexes_as_the_module_loader_applies_them(
    manifest: dict[str, Any], key: str, version: str, accepted: bool
) -> None:
    # PackageManager wraps each regex in /.../ and preg_match()es the version with it.
    rules = manifest["manifest"][key]
    matched = version in rules.get("exact_matches", []) or any(
        re.search(pattern, version) for pattern in rules["regex_matches"]
    )
    assert matched is accepted


def test_every_installdefs_path_is_in_the_zip_and_nothing_else_is(
    built_zip: Path, manifest: dict[str, Any]
) -> None:
    with zipfile.ZipFile(built_zip) as archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
    paths = install_paths(manifest["installdefs"])
    assert paths, "no <basepath> paths in installdefs"
    for path in paths:
        assert path in names or any(n.startswith(path + "/") for n in names), path
    covered = {"manifest.php"}
    for name in names:
        if any(name == p or name.startswith(p + "/") for p in paths):
            covered.add(name)
    assert sorted(set(names) - covered) == [], "files in the zip that nothing installs"
    assert not [n for n in names if re.search(r"(^|/)(\.DS_Store|__pycache__|.*\.swp)$", n)]


def test_beans_are_tabs_and_their_classes_are_copied(manifest: dict[str, Any]) -> None:
    installdefs = manifest["installdefs"]
    beans = {b["module"]: b for b in installdefs["beans"]}
    assert set(beans) == set(MODULES)
    copied = {c["to"] for c in installdefs["copy"]}
    for module, bean in beans.items():
        assert bean["tab"] is True
        assert bean["class"] == module
        assert bean["path"] == f"modules/{module}/{module}.php"
        assert f"modules/{module}" in copied


def test_extension_files_do_not_overwrite_each_other(manifest: dict[str, Any]) -> None:
    installdefs = manifest["installdefs"]
    # ModuleInstaller names language files <language>.<package id>.php per module.
    languages = Counter((i["to_module"], i["language"]) for i in installdefs["language"])
    assert max(languages.values()) == 1
    assert {lang for _, lang in languages} == {"en_us", "it_it"}
    assert {m for m, _ in languages} == {"application", "Accounts", "Contacts"}
    for section in ("vardefs", "layoutdefs", "hookdefs"):
        targets = Counter((i["to_module"], Path(i["from"]).name) for i in installdefs[section])
        assert max(targets.values()) == 1, section
        assert {m for m, _ in targets} == {"Accounts", "Contacts"}, section


def test_build_is_deterministic_and_leaves_strays_out(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "manifest.php").write_text(
        "<?php $manifest = array('version' => '@VERSION@', 'published_date' => '@PUBLISHED_DATE@');"
    )
    (source / "a").mkdir()
    (source / "a" / "b.php").write_text("<?php\n")
    for stray in (".DS_Store", "a/.b.php.swp", "a/__pycache__/x.pyc", "a/c.php~"):
        (source / stray).parent.mkdir(parents=True, exist_ok=True)
        (source / stray).write_text("x")
    first = build_module.build(source, tmp_path / "one", version="9.9.9")
    second = build_module.build(source, tmp_path / "two", version="9.9.9")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert archive.namelist() == ["a/b.php", "manifest.php"]
        assert b"9.9.9" in archive.read("manifest.php")
        assert {i.date_time for i in archive.infolist()} == {archive.infolist()[0].date_time}


def test_fields_match_the_connector_contract(defs: dict[str, Any]) -> None:
    dictionary = defs["dictionary"]
    journeys = dictionary["CJ_Journeys"]
    touchpoints = dictionary["CJ_Touchpoints"]
    assert journeys["table"] == "cj_journeys"
    assert touchpoints["table"] == "cj_touchpoints"
    for name, kind in JOURNEY_FIELDS.items():
        if name != "name":  # name comes from the 'basic' template
            assert journeys["fields"][name]["type"] == kind, name
    for name, kind in TOUCHPOINT_FIELDS.items():
        if name != "name":
            assert touchpoints["fields"][name]["type"] == kind, name
    assert journeys["fields"]["sync_hash"]["len"] == 64
    assert touchpoints["fields"]["external_key"]["len"] == 120
    unique = [i for i in touchpoints["indices"] if i["type"] == "unique"]
    assert [i["fields"] for i in unique] == [["external_key"]]
    enums = {"current_stage": "cj_stage", "status": "cj_status", "last_channel": "cj_channel"}
    for field, dom in enums.items():
        assert journeys["fields"][field]["options"] == f"{dom}_dom"
    for field in ("phase", "channel", "mode", "managed_by", "direction"):
        assert touchpoints["fields"][field]["options"] == f"cj_{field}_dom"
    # A person may set a touchpoint's stage to "not a touchpoint" (a correction).
    assert touchpoints["fields"]["stage"]["options"] == "cj_correction_dom"
    assert touchpoints["fields"]["corrected_stage"]["options"] == "cj_correction_dom"
    assert touchpoints["fields"]["rule_stage"]["options"] == "cj_stage_dom"
    assert touchpoints["fields"]["review"]["options"] == "cj_review_dom"
    corrections = dictionary["CJ_Corrections"]
    assert corrections["table"] == "cj_corrections"
    for name, kind in CORRECTION_FIELDS.items():
        assert corrections["fields"][name]["type"] == kind, name
    assert corrections["fields"]["stage"]["options"] == "cj_correction_dom"
    assert corrections["fields"]["previous_stage"]["options"] == "cj_stage_dom"
    assert corrections["unified_search"] is False
    for module in MODULES:
        assert defs["modules"][module]["templates"] == ["basic", "assignable", "security_groups"]


def test_only_journeys_are_in_the_search_index(defs: dict[str, Any]) -> None:
    """AOD indexes a module whose dictionary says unified_search, at ~55 ms a save."""
    assert defs["dictionary"]["CJ_Journeys"]["unified_search"] is True
    assert defs["dictionary"]["CJ_Touchpoints"]["unified_search"] is False


def test_relationships_and_links_match_the_contract(defs: dict[str, Any]) -> None:
    dictionary = defs["dictionary"]
    relationships = {
        **dictionary["CJ_Journeys"]["relationships"],
        **dictionary["CJ_Touchpoints"]["relationships"],
        **dictionary["CJ_Corrections"]["relationships"],
    }
    expected = {
        "cj_corrections_accounts": ("Accounts", "CJ_Corrections", "account_id"),
        "cj_corrections_contacts": ("Contacts", "CJ_Corrections", "contact_id"),
        "cj_corrections_corrected_by": ("Users", "CJ_Corrections", "corrected_by"),
        "cj_journeys_accounts": ("Accounts", "CJ_Journeys", "account_id"),
        "cj_journeys_contacts": ("Contacts", "CJ_Journeys", "contact_id"),
        "cj_journeys_cj_touchpoints": ("CJ_Journeys", "CJ_Touchpoints", "journey_id"),
        "cj_touchpoints_accounts": ("Accounts", "CJ_Touchpoints", "account_id"),
    }
    for name, (lhs, rhs, key) in expected.items():
        rel = relationships[name]
        assert (rel["lhs_module"], rel["rhs_module"], rel["rhs_key"]) == (lhs, rhs, key)
        assert rel["relationship_type"] == "one-to-many"
    journey_fields = dictionary["CJ_Journeys"]["fields"]
    assert journey_fields["accounts"]["relationship"] == "cj_journeys_accounts"
    assert journey_fields["cj_touchpoints"]["relationship"] == "cj_journeys_cj_touchpoints"
    ext = defs["extensions"]
    assert ext["Accounts"]["fields"]["cj_journeys"]["relationship"] == "cj_journeys_accounts"
    assert ext["Accounts"]["fields"]["cj_touchpoints"]["relationship"] == "cj_touchpoints_accounts"
    assert ext["Contacts"]["fields"]["cj_journeys"]["relationship"] == "cj_journeys_contacts"
    for module in ("Accounts", "Contacts"):
        for link, fields in ext[module]["fields"].items():
            assert fields["module"] in MODULES, "V8 lists only links that name their module"
            assert ext[module]["subpanels"][link]["get_subpanel_data"] == link
        hooks = ext[module]["hooks"]["after_ui_frame"]
        assert [h[3] for h in hooks] == ["CJ_JourneyPanelHook"]
        assert (MODULE_SOURCE / "SugarModules" / hooks[0][2]).is_file()


def test_dropdowns_have_the_contract_keys_in_both_languages(defs: dict[str, Any]) -> None:
    for lang, strings in defs["application"].items():
        assert list(strings["cj_review_dom"]) == ["", "conflict", "keyword", "fallback"], lang
        assert all(list(strings["cj_review_dom"].values())[1:]), lang
        for dom, keys in DROPDOWNS.items():
            assert list(strings[dom]) == keys, (lang, dom)
            assert all(strings[dom].values()), (lang, dom)
        for module in MODULES:
            assert strings["moduleList"][module]
            assert strings["moduleListSingular"][module]


def used_labels(value: object) -> set[str]:
    """Every LBL_/LNK_ key mentioned in a structure of view metadata or vardefs."""
    found: set[str] = set()
    if isinstance(value, dict):
        for item in value.values():
            found |= used_labels(item)
        for key in value:
            found |= used_labels(key)
    elif isinstance(value, list):
        for item in value:
            found |= used_labels(item)
    elif isinstance(value, str):
        found |= set(re.findall(r"\b(?:LBL|LNK)_[A-Z0-9_]+\b", value))
    return found


@pytest.mark.parametrize("module", MODULES)
def test_every_label_exists_in_english_and_italian(defs: dict[str, Any], module: str) -> None:
    entry = defs["modules"][module]
    own_fields = {
        k: v
        for k, v in defs["dictionary"][module]["fields"].items()
        if k not in ("id", "date_entered", "date_modified", "deleted")
    }
    needed = used_labels(own_fields) | used_labels(entry["views"])
    needed -= {"LBL_CURRENT_USER_FILTER", "LBL_BY"}  # application strings of SuiteCRM
    english, italian = entry["languages"]["en_us"], entry["languages"]["it_it"]
    assert sorted(needed - set(english)) == []
    assert sorted(needed - set(italian)) == []
    assert sorted(set(english) ^ set(italian)) == [], "en_us and it_it have different keys"
    assert all(isinstance(v, str) and v for v in italian.values())


def test_customer_modules_have_their_labels(defs: dict[str, Any]) -> None:
    for module, ext in defs["extensions"].items():
        needed = used_labels(ext["fields"]) | used_labels(ext["subpanels"])
        for lang in ("en_us", "it_it"):
            assert sorted(needed - set(ext["languages"][lang])) == [], (module, lang)


def test_list_views_filter_by_stage_status_and_health(defs: dict[str, Any]) -> None:
    views = defs["modules"]["CJ_Journeys"]["views"]
    advanced = views["search"]["layout"]["advanced_search"]
    for field in ("current_stage", "status", "health_score", "open_case_only"):
        assert field in advanced
    fields = views["searchfields"]
    assert fields["range_health_score"]["enable_range_search"] is True
    assert defs["dictionary"]["CJ_Journeys"]["fields"]["health_score"]["enable_range_search"]
    open_case = fields["open_case_only"]
    assert open_case["operator"] == "subquery" and open_case["checked_only"] is True
    assert "{" not in open_case["subquery"], "string_format() would replace braces"
    assert "cases" in open_case["subquery"] and "'Open'" in open_case["subquery"]


def test_timeline_json_is_never_shown_raw(defs: dict[str, Any]) -> None:
    views = defs["modules"]["CJ_Journeys"]["views"]
    assert "timeline_json" not in json.dumps(views).lower()
