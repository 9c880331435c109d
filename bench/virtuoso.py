"""ccgraph in remote mode over Virtuoso Open Source (Debian package), end to end.

    python bench/virtuoso.py [--size 100k] [--runs 5]

Installs `virtuoso-opensource` with apt-get if `virtuoso-t` is missing (root),
starts a private Virtuoso on 127.0.0.1 (its own database directory under
bench/work/, its own ports), bulk-loads the synthetic graph with `ld_dir` +
`rdf_loader_run`, lets the SPARQL user write, then starts ccgraph with

    CCGRAPH_STORE="sparql:http://127.0.0.1:P/sparql update=http://127.0.0.1:P/sparql"

and checks what a deployment needs: queries (the bench mix, timed against
Virtuoso's own endpoint), SPARQL Update with the generation bump, the graph store
(PUT, GET, DELETE), `ccgraph load` through remote mode, and the JSON API.
Prints one line per check and writes bench/results/virtuoso-<date>.json.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import requests

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import peers  # noqa: E402
import workload  # noqa: E402
from run import SIZES, dataset, log  # noqa: E402

INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
GRAPH = "urn:bench:population"


def ensure_installed() -> None:
    if shutil.which("virtuoso-t"):
        return
    log("installing the Debian package virtuoso-opensource (apt-get)")
    subprocess.run(["apt-get", "install", "-y", "-qq", "virtuoso-opensource"], check=True,
                   env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/bin"})


def write_ini(work: Path, data_dir: Path, isql_port: int, http_port: int) -> Path:
    """The packaged virtuoso.ini with our own database files, ports and limits."""
    text = INI.read_text()
    text = text.replace("/var/lib/virtuoso-opensource-7/db/", f"{work}/")
    text = re.sub(r"(?m)^ServerPort(\s*)= 1111", rf"ServerPort\g<1>= {isql_port}", text)
    text = re.sub(r"(?m)^ServerPort(\s*)= 8890", rf"ServerPort\g<1>= {http_port}", text)
    text = re.sub(r"(?m)^DirsAllowed\s*=.*$", f"DirsAllowed = ., {data_dir}, "
                  "/usr/share/virtuoso-opensource-7/vad", text)
    # 1 GB of buffers (the package's default is 80 MB), and ccgraph's row cap, not 10,000.
    text = re.sub(r"(?m)^NumberOfBuffers\s*=.*$", "NumberOfBuffers = 130000", text)
    text = re.sub(r"(?m)^MaxDirtyBuffers\s*=.*$", "MaxDirtyBuffers = 100000", text)
    text = re.sub(r"(?m)^ResultSetMaxRows\s*=.*$", "ResultSetMaxRows = 100000", text)
    path = work / "virtuoso.ini"
    path.write_text(text)
    return path


def isql(port: int, sql: str, timeout: float = 900) -> str:
    done = subprocess.run(["isql-vt", str(port), "dba", "dba", f"exec={sql}"],
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0 or "*** Error" in done.stdout:
        raise RuntimeError(f"isql failed on {sql!r}: {done.stdout[-500:]} {done.stderr[-500:]}")
    return done.stdout


def start_virtuoso(work: Path, data: Path) -> tuple[subprocess.Popen, int, int, float]:
    isql_port, http_port = peers.free_port(), peers.free_port()
    ini = write_ini(work, data.parent, isql_port, http_port)
    process = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(ini)],
                               cwd=work, stdout=open(work / "stdout.log", "wb"),  # noqa: SIM115
                               stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{http_port}/sparql"
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError((work / "stdout.log").read_text()[-2000:])
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                break
        except requests.RequestException:
            pass
        time.sleep(0.2)
    started = time.perf_counter()
    isql(isql_port, f"ld_dir('{data.parent}', '{data.name}', '{GRAPH}');")
    isql(isql_port, "rdf_loader_run();")
    isql(isql_port, "checkpoint;")
    load_seconds = time.perf_counter() - started
    # SPARQL Update through /sparql (the user the endpoint runs as, and graph permissions).
    isql(isql_port, 'GRANT SPARQL_UPDATE TO "SPARQL";')
    isql(isql_port, "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);")
    return process, isql_port, http_port, load_seconds


class Checks:
    def __init__(self) -> None:
        self.results: dict[str, dict] = {}

    def record(self, name: str, ok: bool, detail: str = "") -> None:
        self.results[name] = {"ok": ok, "detail": detail}
        log(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")


def check_service(checks: Checks, ccgraph: peers.Peer, virtuoso: str) -> None:
    auth = {"Authorization": f"Bearer {peers.TOKEN}"}
    health = requests.get(ccgraph.base + "/api/health", timeout=30).json()
    checks.record("api/health", health.get("status") == "ok", f"generation {health}")
    update = requests.post(ccgraph.url, data={"update": 'INSERT DATA { GRAPH <urn:bench:w> '
                                              '{ <urn:a> <urn:b> "written" } }'},
                           headers=auth, timeout=60)
    seen = requests.get(virtuoso, timeout=30, headers={"Accept": "application/sparql-results+json"},
                        params={"query": "SELECT ?o WHERE { GRAPH <urn:bench:w> { ?s ?p ?o } }"})
    checks.record("SPARQL Update through ccgraph lands in Virtuoso",
                  update.status_code == 200 and "written" in seen.text,
                  f"HTTP {update.status_code} generation "
                  f"{update.headers.get('X-CCGraph-Generation')} {update.text[:200]}")
    url = f"{ccgraph.base}/store?graph=urn:bench:gsp"
    put = requests.put(url, data=b'<urn:x> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .\n',
                       headers={**auth, "Content-Type": "application/n-triples"}, timeout=60)
    got = requests.get(url, headers={"Accept": "application/n-triples"}, timeout=30)
    delete = requests.delete(url, headers=auth, timeout=30)
    gone = requests.get(url, timeout=30)
    checks.record("graph store PUT, GET, DELETE",
                  put.status_code in (201, 204) and '"x"@en' in got.text
                  and delete.status_code == 204 and gone.status_code == 404,
                  f"PUT {put.status_code} GET {got.status_code} DELETE {delete.status_code} "
                  f"then GET {gone.status_code} {put.text[:200]}")
    graphs = requests.get(ccgraph.base + "/api/graphs", timeout=60)
    checks.record("api/graphs", graphs.status_code == 200, graphs.text[:200])
    named = requests.get(ccgraph.base + "/api/queries/clusters-in-emerging-industry/results",
                         params={"country": workload.COUNTRY + "CZE"}, timeout=60)
    checks.record("named query through the JSON API",
                  named.status_code == 200 and bool(named.json().get("rows")),
                  f"HTTP {named.status_code} {named.text[:200]}")


def check_cli_load(checks: Checks, store: str, work: Path) -> None:
    small = work / "small.ttl"
    subprocess.run([str(peers.BIN / "ccgraph"), "synth", "--clusters", "5", "--out", str(small)],
                   check=True)
    done = subprocess.run([str(peers.BIN / "ccgraph"), "load", "--no-validate", "--graph",
                           "urn:bench:cli", str(small)], capture_output=True, text=True,
                          env={**peers.ccgraph_env(store)}, timeout=300)
    checks.record("ccgraph load in remote mode", done.returncode == 0,
                  (done.stdout + done.stderr).strip()[-300:])


def compare_queries(ccgraph: peers.Peer, virtuoso: str, runs: int) -> dict:
    clients = {"virtuoso": workload.Client(virtuoso, 300),
               "ccgraph-remote": workload.Client(ccgraph.url, 300)}
    out = {}
    for name, text in workload.query_mix().items():
        timings = workload.time_interleaved(clients, text, runs, 60)
        out[name] = {peer: t.to_dict() for peer, t in timings.items()}
        log(f"  {name:42s} " + "  ".join(f"{p} {t.median_ms} ms rows={t.rows}"
                                           + (f" ERROR {t.error[:100]}" if t.error else "")
                                           for p, t in timings.items()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k", choices=list(SIZES))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ensure_installed()
    data = dataset(args.size)
    work = BENCH / "work" / "virtuoso"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    process, ccgraph, checks = None, None, Checks()
    result = {"date": time.strftime("%Y-%m-%d %H:%M"), "size": args.size,
              "loadavg": " ".join(Path("/proc/loadavg").read_text().split()[:3])}
    try:
        log(f"starting Virtuoso and bulk-loading {data.name}")
        process, _isql_port, http_port, load_seconds = start_virtuoso(work, data)
        virtuoso = f"http://127.0.0.1:{http_port}/sparql"
        result["virtuoso_load_seconds"] = round(load_seconds, 1)
        store = f"sparql:{virtuoso} update={virtuoso}"
        result["store_url"] = store
        ccgraph = peers.start_ccgraph(None, store, work / "ccgraph.log", "ccgraph-remote")
        check_service(checks, ccgraph, virtuoso)
        check_cli_load(checks, store, work)
        log("query mix: Virtuoso's endpoint and ccgraph over it, in turns")
        result["queries"] = compare_queries(ccgraph, virtuoso, args.runs)
    finally:
        if ccgraph:
            ccgraph.stop()
        if process:
            process.terminate()
            process.wait(60)
    result["checks"] = checks.results
    out = BENCH / "results" / f"virtuoso-{time.strftime('%Y-%m-%d')}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    log(f"wrote {out}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
