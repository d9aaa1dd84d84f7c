"""Pages as experiments finish: an experiment's page is written once its runs are all stored,
and the index says which others are still training; the last render is the usual site."""

from runner import cli, store

FIRST = """\
name: first
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 10, 2, 10, 35]]}
training: {epochs: 400, optimizers: [{name: adam, learning_rate: 0.01}]}
seeds: 2
report: [summary, error_table]
"""
SECOND = FIRST.replace("name: first", "name: second").replace("epochs: 400", "epochs: 20")


def test_the_first_page_is_written_before_the_second_experiment_is_stored(tmp_path, monkeypatch):
    """On one worker the costlier experiment trains first (the costliest packs go first): each
    time the sweep tells the CLI, the site is looked at as a reader would find it."""
    for name, text in (("first", FIRST), ("second", SECOND)):
        (tmp_path / f"{name}.yaml").write_text(text)
    results, site = tmp_path / "results", tmp_path / "site"
    seen = []
    pages = cli.pages_as_experiments_finish

    def watched(args, given):
        write = pages(args, given)

        def look(progress):
            write(progress)
            seen.append(
                {
                    "finished": progress.finished,
                    "first page": (site / "first" / "index.html").exists(),
                    "index": (site / "index.html").read_text(),
                    "second stored": len(store.stored_ids(results, "second")),
                }
            )

        return look

    monkeypatch.setattr(cli, "pages_as_experiments_finish", watched)
    code = cli.main(
        [
            str(tmp_path / "first.yaml"),
            str(tmp_path / "second.yaml"),
            "--results",
            str(results),
            "--site",
            str(site),
            "-q",
            "-j",
            "1",
        ]
    )
    assert code == 0
    start, first, second = seen
    assert start["finished"] == () and "training: 0 of 2 runs" in start["index"]
    assert first["finished"] == ("first",) and first["first page"]
    assert first["second stored"] == 0 and "training: 0 of 2 runs" in first["index"]
    assert "training: 2 of 2 runs" not in first["index"]  # the first is no longer training
    assert second["finished"] == ("second",) and "training:" not in second["index"]
    assert "training:" not in (site / "index.html").read_text()  # the final render
