"""The learned pass: its weight files load and are validated, its splitter keeps articles apart, and it decides.

Sentences here are written for the tests; no article text is used.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from dashboard.ingest.extract import extract, load_rules
from dashboard.ingest.extract.learned import article_pairs
from dashboard.ingest.extract.rules import LEARNED_FEATURES, Rules
from dashboard.ingest.review import review_rows

ROOT = Path(__file__).resolve().parent.parent


def _trainer():
    spec = importlib.util.spec_from_file_location("train_extract_model", ROOT / "scripts" / "train_extract_model.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_extract_model"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_learned_weights_load_with_one_weight_per_feature_a_threshold_and_a_gate(rules: Rules) -> None:
    assert set(rules.learned) == set(LEARNED_FEATURES)
    assert 0 < rules.learned_threshold < rules.learned_gate <= 1
    assert rules.learned_stances  # the stance table the training wrote


def _copy_extract_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "extract"
    folder.mkdir(parents=True)
    for name in ("learned.csv", "learned_stances.csv"):
        shutil.copy(ROOT / "data" / "extract" / name, folder / name)
    return folder


def test_a_learned_weight_that_is_not_a_number_is_reported_with_its_file_row_and_field(tmp_path: Path) -> None:
    path = _copy_extract_folder(tmp_path) / "learned.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].split(",")[0] + ",heavy,a bad weight"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded, problems = load_rules(tmp_path)
    assert loaded is None
    assert any("learned.csv" in str(p) and "row 3" in str(p) and "weight" in str(p) for p in problems)


def test_a_learned_stance_row_naming_an_unknown_stance_is_reported(tmp_path: Path) -> None:
    path = _copy_extract_folder(tmp_path) / "learned_stances.csv"
    path.write_text("party,cue_stance,stance,count\nrussia,withdraw,moon_landing,3\n", encoding="utf-8")
    loaded, problems = load_rules(tmp_path)
    assert loaded is None
    assert any("learned_stances.csv" in str(p) and "moon_landing" in str(p) for p in problems)


def test_grouped_folds_never_put_one_group_in_two_folds() -> None:
    trainer = _trainer()
    groups = [f"outlet{n % 7}" for n in range(40)]
    folds = trainer.grouped_folds(groups, 5)
    assert sorted(g for fold in folds for g in fold) == sorted(set(groups))
    for i, fold in enumerate(folds):
        for other in folds[i + 1 :]:
            assert not fold & other


def test_cross_validation_scores_each_article_with_weights_fitted_without_it(monkeypatch) -> None:
    """The fitted rows never include the held-out group's rows."""
    np = pytest.importorskip("numpy")
    trainer = _trainer()
    data = trainer.Data()
    data.rows = ["a", "a", "b", "b", "c", "c"]
    data.keys = [("russia", "UA-14")] * 6
    data.fams = [frozenset({"russian_control"})] * 6
    data.cue_stance = [""] * 6
    data.split_of = {"a": "dev", "b": "dev", "c": "dev"}
    data.x = np.ones((6, len(LEARNED_FEATURES)))
    data.y = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0])
    seen: list[int] = []
    real_fit = trainer.fit

    def spy(x, y, l2=trainer.L2, steps=40):
        seen.append(len(y))
        return real_fit(x, y, l2, steps)

    monkeypatch.setattr(trainer, "fit", spy)
    monkeypatch.setattr(trainer, "pick_threshold", lambda *args: 0.5)
    trainer.cross_validate(data, {a: a for a in data.split_of})
    assert seen == [4, 4, 4]  # each of three folds fitted on the other two articles' rows only


def test_the_learned_pass_proposes_a_demand_stated_in_a_sentence(rules: Rules) -> None:
    text = "The Kremlin spokesman told reporters that Russia demands all of Donetsk before any ceasefire."
    found = extract(text, rules, learned=True).candidates
    assert ("russia", "UA-14") in {(c.party, c.region) for c in found}
    for candidate in found:
        assert candidate.quote in text and 0 < candidate.confidence <= 1
        assert "learned pass: the model gives" in candidate.reason


def test_the_learned_pass_drops_a_battle_report(rules: Rules) -> None:
    text = (
        "Peskov said Moscow still insists on all of Donetsk. "
        "Russian forces shelled Kharkiv overnight and an attack near Kharkiv was repelled, the army said."
    )
    found = extract(text, rules, learned=True).candidates
    assert "UA-63" not in {c.region for c in found}
    assert ("russia", "UA-14") in {(c.party, c.region) for c in found}


def test_every_pair_of_an_article_carries_every_feature_the_weights_name(rules: Rules) -> None:
    from dashboard.ingest.extract import first_pass

    result, records, _ = first_pass("Zelensky said Ukraine will never give up Crimea or Kherson.", rules)
    pairs = article_pairs(records, result.candidates, rules)
    assert {(p.party, p.region) for p in pairs} >= {("ukraine", "UA-43"), ("ukraine", "UA-65")}
    assert all(set(p.features) == set(LEARNED_FEATURES) for p in pairs)


def test_a_pair_no_rule_read_is_a_flagged_guess_that_starts_rejected_at_review(rules: Rules) -> None:
    # Written here: a sentence a rule reads, then a quote naming a party and a region with no cue a rule reads.
    ruled_text = "Zelensky said Ukraine will never cede Donetsk."
    text = f"{ruled_text} “Odesa stays Ukrainian,” the Ukrainian foreign minister insisted."
    assert {c.region for c in extract(text, rules, learned=False).candidates} == {"UA-14"}
    found = extract(text, rules).candidates  # the learned pass is on by default
    (guess,) = [c for c in found if c.region == "UA-51"]
    assert (guess.party, guess.guess) == ("ukraine", True)
    assert guess.note.startswith("Proposed by the learned pass")
    assert "no rule linked them" in guess.reason
    ruled = [c for c in found if c.region == "UA-14"]
    assert ruled and not any(c.guess for c in ruled)
    actions = {row.region: row.action for row in review_rows(found, None)}
    assert actions == {"UA-14": "accept", "UA-51": "reject"}  # a guess is accepted by hand, never by default
