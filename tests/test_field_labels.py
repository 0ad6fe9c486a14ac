"""Every field of plans/ has a German label, from one place (macros/data/field_labels.py)."""

from __future__ import annotations

from macros.data import field_labels, labels
from macros.data import models as m
from macros.data.kinds import MODELS


def _defined(model: type, key: str) -> bool:
    return key in field_labels.LABELS or any(
        (cls.__name__, key) in field_labels.BY_MODEL for cls in model.__mro__
    )


def test_every_field_of_every_model_has_a_german_label() -> None:
    fields = field_labels.all_fields(MODELS[stem] for stem in MODELS)
    assert len(fields) > 300  # found from the models, nested ones included
    missing = sorted({f"{model.__name__}.{key}" for model, key in fields if not _defined(model, key)})
    assert missing == []
    for model, key in fields:
        label = field_labels.field_label(model, key)
        assert label != key and label[:1].isupper(), (model.__name__, key, label)


def test_labels_by_model_name_real_fields_and_value_groups_exist() -> None:
    fields = {(model.__name__, key) for model, key in field_labels.all_fields(MODELS[s] for s in MODELS)}
    assert sorted(set(field_labels.BY_MODEL) - fields) == []
    assert sorted(set(field_labels.VALUE_GROUPS_BY_MODEL) - fields) == []
    keys = {key for _, key in fields}
    assert sorted(set(field_labels.LABELS) - keys) == []  # no label for a field that is gone
    groups = {*field_labels.VALUE_GROUPS.values(), *field_labels.VALUE_GROUPS_BY_MODEL.values()}
    assert sorted(groups - set(labels.LABELS)) == []


def test_a_path_reads_as_labels_with_numbers() -> None:
    assert field_labels.path_label(m.Process, "steps[0].consulted") == "Schritte, Nr. 1 › Konsultiert (C)"
    assert field_labels.path_label(m.TargetGroup, "value") == "Welchen Mehrwert wir bieten"
    company = field_labels.path_label(m.OrganisationFile, "company.name")
    assert company == "Organisation › Name der Organisation"
    assert field_labels.path_label(m.Channel, "tone.address") == "Tonalität › Ansprache"
    # the handbook's own settings, not the organisation's website
    assert field_labels.path_label(m.OrganisationFile, "site.address") == "Handbuch-Einstellungen › Ansprache"
    assert field_labels.path_label(m.OrganisationFile, "company.website") == "Organisation › Website"
    assert field_labels.path_label(m.Goal, "no_such_key") == "no_such_key"  # a typo stays as written
    assert field_labels.value_group(m.TargetGroup, "type") == "group_kind"
    assert field_labels.value_group(m.Channel, "tone.address") == "address"
