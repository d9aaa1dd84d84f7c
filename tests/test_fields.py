"""The YAML's field reference: generated from the schema, so docs/yaml.md cannot drift from it."""

from pathlib import Path

from report.slides import CATALOGUE
from runner import cli
from runner.config import fields, schema

DOC = Path(__file__).resolve().parent.parent / "docs" / "yaml.md"


def reference() -> str:
    return fields(schema(CATALOGUE.names))


def test_docs_yaml_md_is_what_the_schema_generates():
    assert DOC.read_text() == reference(), (
        "docs/yaml.md differs from the schema: regenerate it with `tp5-run --fields > docs/yaml.md`"
    )


def test_tp5_run_fields_prints_the_reference(capsys):
    assert cli.main(["--fields"]) == 0
    assert capsys.readouterr().out == reference()


def test_each_kind_of_a_mapping_has_its_own_section():
    sections = {s.split("\n", 1)[0]: s for s in reference().split("\n## ")[1:]}
    vae, autoencoder = (
        sections["`model` with `kind: vae`"],
        sections["`model` with `kind: autoencoder`"],
    )
    assert (
        "- `model.beta` (a number > 0 or a list (at least one), each a number > 0; default "
        "`1.0`): weight of the KL term, or a list to sweep"
    ) in vae
    assert "model.beta" not in autoencoder and "model.loss" in autoencoder
    sgd = sections["`training.optimizers[]` with `name: sgd`"]
    assert "- `training.optimizers[].learning_rate` (" in sgd and "*required*" in sgd
    assert "training.optimizers[].momentum" in sgd
    assert "momentum" not in sections["`training.optimizers[]` with `name: adam`"]


def test_every_field_of_every_mapping_is_listed():
    """Walks the schema's own definitions: a field added to a model appears without a change
    here or in the generator."""
    text = reference()
    definitions = schema()["$defs"]
    for name, definition in definitions.items():
        for field in definition.get("properties", {}):
            assert f".{field}` (" in text, f"{name}.{field}"
    for field in schema()["properties"]:
        assert f"- `{field}` (" in text, field
