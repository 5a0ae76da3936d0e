"""`evaluate_matching DIR --organisations` on a tiny org set, real encoders."""

from io import StringIO

from django.core.management import call_command

from tests.labelled_sets import write_labelled_set


def _write_org_set(folder) -> None:
    candidates = [
        {"id": "q", "text": "Welding robots for steel frames.", "projects": ["1"], "country": "DE"},
        {"id": "p", "text": "Grippers for robots.", "projects": ["1", "2"], "country": "DE"},
        {"id": "c", "text": "Battery recycling chemistry.", "projects": ["2"], "country": "FR"},
        {"id": "s", "text": "Welding robots for steel frames.", "projects": ["3"], "country": "DE"},
        {"id": "t", "text": "Tourism marketing.", "projects": ["3"], "country": "IT"},
    ]
    needs = [{"id": "orgq:q", "text": "Welding robots for steel frames."}]
    qrels = [{"need_id": "orgq:q", "candidate_id": "c", "relevance": 1}]
    write_labelled_set(folder, needs=needs, candidates=candidates, qrels=qrels)


def test_organisations_mode_prints_the_agreed_lines_and_finds_the_partner_of_partner(tmp_path):
    """c shares a partner with q; s only shares q's text. The matcher (network first)
    puts c first; the text baselines put s first."""
    _write_org_set(tmp_path)
    out = StringIO()
    call_command(
        "evaluate_matching",
        str(tmp_path),
        organisations=True,
        cache_dir=str(tmp_path / "cache"),
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert [line.split()[0] for line in lines] == ["matcher", "bm25", "dense", "graph", "coverage"]
    assert lines[0] == "matcher recall@10=1.000 nDCG@10=1.000 MRR=1.000 needs=1"
    assert lines[1].endswith("MRR=0.500 needs=1")  # s ranks above c by text
    assert lines[4].startswith("coverage top1pct_share=")
