"""The synthetic population: reproducible, marked synthetic, consistent, SHACL-valid."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from ccgraph import synth
from ccgraph.cli import main
from ccgraph.errors import BadRequest
from ccgraph.namespaces import CCG, ID, NUTS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example" / "clusters.ttl"
DESCRIBED = (CCG.Cluster, CCG.Organisation, CCG.Project, CCG.FundingInstrument, CCG.Programme,
             CCG.Event, CCG.QualityLabel, CCG.EmergingIndustry, CCG.Policy, CCG.PolicyMeasure,
             CCG.Indicator, CCG.ContactPoint)


def _text(clusters: int, seed: int, fmt: str) -> str:
    buf = io.StringIO()
    synth.write(buf, clusters, seed, fmt)
    return buf.getvalue()


@pytest.fixture(scope="module")
def sample() -> Graph:
    return synth.to_graph(clusters=120, seed=3)


def test_example_file_is_reproduced_byte_for_byte():
    assert _text(300, 42, "ttl").encode("utf-8") == EXAMPLE.read_bytes()


def test_same_seed_same_triples_other_seed_other_population():
    first = list(synth.triples(40, seed=5))
    assert first == list(synth.triples(40, seed=5))
    assert set(first) != set(synth.triples(40, seed=6))


def test_turtle_and_ntriples_hold_the_same_graph():
    nt = Graph().parse(data=_text(30, 9, "nt"), format="nt")
    ttl = Graph().parse(data=_text(30, 9, "ttl"), format="turtle")
    assert len(nt) > 1000
    assert set(nt) == set(ttl)


def test_every_described_resource_is_marked_synthetic_and_reads_as_an_example(sample):
    source = URIRef(synth.SYNTHETIC_SOURCE)
    for cls in DESCRIBED:
        members = set(sample.subjects(RDF.type, cls))
        assert members, f"no {cls} generated"
        for s in members:
            assert (s, CCG.synthetic, Literal(True)) in sample, s
            assert (s, DCTERMS.source, source) in sample, s
            assert all(str(label).startswith("Example") for label in sample.objects(s, None)
                       if isinstance(label, Literal) and label.language == "en"), s


def test_funded_partners_are_eligible_and_scopes_are_respected(sample):
    for project, instrument in sample.subject_objects(CCG.fundedBy):
        eligible = [str(r)[len(str(NUTS)):] for r in sample.objects(instrument, CCG.eligibleRegion)]
        scope = sample.value(instrument, CCG.cooperationScope)
        regions = [str(sample.value(p, CCG.locatedIn))[len(str(NUTS)):]
                   for p in sample.objects(project, CCG.partner)]
        assert len(regions) >= 2
        assert all(any(r.startswith(code) for code in eligible) for r in regions), project
        if scope in (CCG.CrossBorder, CCG.Transnational):
            assert len({r[:2] for r in regions}) >= 2, project
        lead = sample.value(project, CCG.leadPartner)
        assert (project, CCG.partner, lead) in sample


def test_dates_are_ordered_and_budgets_decimal(sample):
    for s, start in sample.subject_objects(CCG.startDate):
        end = sample.value(s, CCG.endDate)
        assert start.datatype == XSD.date
        assert end is None or start.toPython() <= end.toPython()
    assert all(b.datatype == XSD.decimal and b.toPython() > 0
               for b in sample.objects(None, CCG.budgetEUR))


def test_a_share_of_clusters_hold_labels_and_observations(sample):
    clusters = set(sample.subjects(RDF.type, CCG.Cluster))
    labelled = set(sample.subjects(CCG.holdsLabel, None))
    observed = set(sample.objects(None, CCG.refCluster))
    members = {c for o in sample.subjects(CCG.indicator, ID["indicator/synthetic-members"])
               for c in sample.objects(o, CCG.refCluster)}
    assert 0.1 < len(labelled) / len(clusters) < 0.5
    assert 0.05 < len(members) / len(clusters) < 0.4
    assert 0.3 < len(observed) / len(clusters) < 0.7  # and the issue-9 indicators, two years
    levels = set(sample.objects(None, CCG.labelLevel))
    assert levels <= {CCG.ESCABronze, CCG.ESCASilver, CCG.ESCAGold}


def test_triple_target_sets_the_size():
    clusters = synth.clusters_for_triples(50_000, seed=42)
    produced = sum(1 for _ in synth.triples(clusters, 42))
    assert abs(produced - 50_000) / 50_000 < 0.05


def test_bad_sizes_are_refused():
    with pytest.raises(BadRequest, match="clusters"):
        list(synth.triples(0))
    with pytest.raises(BadRequest, match="format"):
        synth.write(io.StringIO(), 1, 1, "xml")


def test_command_writes_the_requested_format(tmp_path):
    out = tmp_path / "pop.ttl"
    result = CliRunner().invoke(main, ["synth", "--clusters", "5", "--seed", "1",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "triples for 5 clusters" in result.output
    assert len(Graph().parse(out, format="turtle")) == len(synth.to_graph(5, 1))
    both = CliRunner().invoke(main, ["synth", "--clusters", "5", "--triples", "9"])
    assert both.exit_code != 0


def test_generated_sample_passes_the_shapes_through_the_loader(store):
    from ccgraph.load import load_files

    shapes = ROOT / "ontology" / "shapes.ttl"
    if not shapes.exists():
        pytest.skip("ontology/shapes.ttl not there yet")
    reference = [ROOT / "ontology" / "ccgraph.ttl",
                 *sorted((ROOT / "data" / "reference").glob("*.ttl"))]
    load_files(store, reference, validate=False)
    sample_file = store.root.parent / "sample.ttl"
    sample_file.write_text(_text(25, 11, "ttl"), encoding="utf-8")
    report = load_files(store, [sample_file], validate=True)
    assert report.validated
