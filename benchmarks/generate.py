"""A synthetic automotive industry in the project's CSV bulk format, for the benchmark.

    from benchmarks.generate import generate
    ds = generate("small", Path("out/bench/data/small"))   # nodes.csv, relationships.csv, sources/ ...

Companies, brands, plants, vehicle models, countries, regions and agreements, with
power-law degrees (a few hub companies are partners, suppliers, parties and makers of
much more than the rest) and supply routes: maker -[:SHIPS_TO]-> 0-2 intermediaries
(distributors, logistics companies) -[:SHIPS_TO]-> market country, each hop with goods
and mode. Every relationship row cites one of many small curated articles (a YAML file
and its article under `sources/`) and quotes the sentence they all share, as the loader
requires. Facts per source are Zipf-ish: a mean of ~500, none far above ~1,800 (real
articles support tens to hundreds of facts), so a question about one article stays small.

The output is a pure function of (scale, seed): the same arguments give byte-identical
files (no set iteration, no hash order, no clock). Memory stays small at every scale:
rows are written as they are made; only per-entity indexes (lists of ints) are kept.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from benchmarks.sources import QUOTE, SOURCES_DIR, source_count, source_id, write_sources

# Relationships per company, roughly (see _Gen.run); scale -> target relationships.
SCALES: dict[str, int] = {"tiny": 2_000, "small": 100_000, "medium": 1_000_000, "large": 5_000_000}
DEFAULT_SEED = 20240611
RELS_PER_COMPANY = 14.0

NODE_HEADER = ["id:ID", ":LABEL", "name", "aliases:string[]", "kind", "founded:int", "iso2",
               "capacity_per_year:int", "status", "opened:date", "segment", "body", "powertrain",
               "vehicle_class", "ev_range_km:int", "role"]
REL_HEADER = [":START_ID", ":TYPE", ":END_ID", "on", "goods", "mode", "role", "share_percent:float",
              "holds:boolean", "kits", "what", "from_party", "condition", "status", "since:date", "until:date",
              "source", "quote"]

REGIONS = [("europe", "Europe"), ("north-america", "North America"), ("south-america", "South America"),
           ("central-asia", "Central Asia"), ("east-asia", "East Asia"), ("south-asia", "South Asia"),
           ("middle-east", "Middle East"), ("africa", "Africa"), ("oceania", "Oceania")]
COUNTRIES = [  # (iso2, name, region)
    ("ru", "Russia", "europe"), ("de", "Germany", "europe"), ("fr", "France", "europe"),
    ("it", "Italy", "europe"), ("es", "Spain", "europe"), ("gb", "United Kingdom", "europe"),
    ("pl", "Poland", "europe"), ("cz", "Czechia", "europe"), ("se", "Sweden", "europe"),
    ("by", "Belarus", "europe"), ("tr", "Turkey", "europe"), ("ro", "Romania", "europe"),
    ("sk", "Slovakia", "europe"), ("hu", "Hungary", "europe"), ("nl", "Netherlands", "europe"),
    ("us", "United States", "north-america"), ("ca", "Canada", "north-america"),
    ("mx", "Mexico", "north-america"), ("br", "Brazil", "south-america"),
    ("ar", "Argentina", "south-america"), ("cl", "Chile", "south-america"),
    ("kz", "Kazakhstan", "central-asia"), ("uz", "Uzbekistan", "central-asia"),
    ("kg", "Kyrgyzstan", "central-asia"), ("tm", "Turkmenistan", "central-asia"),
    ("cn", "China", "east-asia"), ("jp", "Japan", "east-asia"), ("kr", "South Korea", "east-asia"),
    ("tw", "Taiwan", "east-asia"), ("vn", "Vietnam", "east-asia"), ("th", "Thailand", "east-asia"),
    ("id", "Indonesia", "east-asia"), ("my", "Malaysia", "east-asia"),
    ("in", "India", "south-asia"), ("pk", "Pakistan", "south-asia"), ("bd", "Bangladesh", "south-asia"),
    ("ir", "Iran", "middle-east"), ("sa", "Saudi Arabia", "middle-east"),
    ("ae", "United Arab Emirates", "middle-east"), ("il", "Israel", "middle-east"),
    ("eg", "Egypt", "africa"), ("za", "South Africa", "africa"), ("ma", "Morocco", "africa"),
    ("ng", "Nigeria", "africa"), ("dz", "Algeria", "africa"), ("ke", "Kenya", "africa"),
    ("au", "Australia", "oceania"), ("nz", "New Zealand", "oceania"),
]

_SYL = ["va", "lor", "ten", "ka", "mi", "ro", "sa", "ne", "tor", "bel", "dra", "gon", "zi", "ra",
        "mo", "vel", "qua", "ri", "sol", "ex", "an", "tec", "lum", "or", "fa", "den", "kir", "pol"]
_SUFFIX = {"automaker": ["Motors", "Auto", "Automobile", "Cars"], "supplier": ["Components", "Parts", "Systems", "Industries"],
           "distributor": ["Trading", "Distribution", "Import"], "logistics": ["Logistics", "Freight", "Transit"],
           "dealer group": ["Dealers", "Retail Group"], "holding": ["Holding", "Capital"],
           "assembler": ["Assembly", "Avtoprom"], "media": ["News", "Media", "Press"]}
KINDS = [("automaker", 25), ("supplier", 33), ("distributor", 14), ("logistics", 10),
         ("dealer group", 5), ("holding", 6), ("assembler", 7), ("media", 1)]
GOODS = ["vehicles", "vehicle kits", "parts", "engines", "batteries", "electronics", "tyres"]
MODES = ["rail", "sea", "road", "logistics link", "air"]
PARTNER_ON = ["electric vehicles", "batteries", "engines", "platform sharing", "distribution",
              "assembly", "software", "trucks", "hydrogen"]
AGREEMENT_KINDS = ["joint venture", "joint production", "licence", "special investment contract",
                   "supply contract", "project", "memorandum"]
STATUSES = ["announced", "planned", "negotiating", "pending approval", "active", "ended"]
SEGMENTS = ["A", "B", "C", "D", "E", "SUV", "MPV"]
BODIES = ["sedan", "hatchback", "crossover", "wagon", "van", "pickup", "truck"]
POWERTRAINS = ["combustion", "electric", "hybrid", "unspecified"]
CLASSES = ["passenger car", "light commercial", "medium duty truck", "heavy truck", "pickup"]
PERSON_ROLES = ["chief executive", "chairman", "minister", "governor", "spokesperson", "director",
                "ambassador", "analyst"]
FIRST_NAMES = ["Anna", "Boris", "Chen", "Dmitry", "Elena", "Farid", "Giulia", "Hiro", "Irina", "Jamal",
               "Karim", "Lena", "Mehdi", "Nadia", "Oleg", "Priya", "Rustam", "Sofia", "Tomas", "Yusuf"]
# What changes hands in an ACQUIRED fact, by the target's label; conditions some transfers have.
ACQUIRED_WHAT = {"Company": ["a controlling stake", "the whole company", "a blocking stake", "the remaining shares"],
                 "Brand": ["the brand", "the brand rights", "the brand and its dealer network"],
                 "Plant": ["the plant", "the plant and its equipment", "the assembly lines"]}
CONDITIONS = ["a buy-back option", "regulatory approval", "keeping the workforce", "a return if sanctions end"]
PLANT_STATUS = ["operating", "operating", "operating", "planned", "idle", "closed", "converting"]


@dataclass
class Dataset:
    """What generate() wrote: the folder, exact counts, and samples for query parameters."""
    scale: str
    seed: int
    dir: Path
    nodes: dict[str, int] = field(default_factory=dict)         # label -> rows (all distinct ids)
    relationships: dict[str, int] = field(default_factory=dict)  # type -> rows (all distinct identities)
    catalog: dict = field(default_factory=dict)
    sources: int = 1                                              # Source nodes (one per YAML file)

    @property
    def node_rows(self) -> int:
        return sum(self.nodes.values())

    @property
    def rel_rows(self) -> int:
        return sum(self.relationships.values())

    @property
    def rows(self) -> int:
        return self.node_rows + self.rel_rows

    @property
    def nodes_csv(self) -> Path:
        return self.dir / "nodes.csv"

    @property
    def rels_csv(self) -> Path:
        return self.dir / "relationships.csv"

    @property
    def sources_dir(self) -> Path:
        """The folder of the sources' YAML files (with their articles below)."""
        return self.dir / SOURCES_DIR

    @property
    def inputs(self) -> list[Path]:
        """What a load of the whole dataset is given: the sources' folder and both CSV files."""
        return [self.sources_dir, self.nodes_csv, self.rels_csv]

    def expected(self) -> dict:
        """Counts the loader must create: the rows plus one Source node per source file."""
        return {"nodes": {**self.nodes, "Source": self.sources}, "relationships": dict(self.relationships)}


class _Zipf:
    """Index i in [0, n) with weight 1 / (i + 1) ** s: low indexes are the hubs."""

    def __init__(self, n: int, s: float = 1.0):
        self.n = n
        self.cum = list(accumulate(1.0 / (i + 1) ** s for i in range(n)))

    def __call__(self, rng: random.Random, below: int | None = None) -> int:
        end = below if below is not None else self.n
        return min(bisect_right(self.cum, rng.random() * self.cum[end - 1]), end - 1)


class _Gen:
    def __init__(self, target_rels: int, seed: int):
        self.rng = random.Random(seed)
        self.nc = max(40, round(target_rels / RELS_PER_COMPANY))
        self.node_counts: dict[str, int] = {}
        self.rel_counts: dict[str, int] = {}
        # Which source each row cites: a stream of its own, so the industry is the same
        # whatever the sources. Zipf-Mandelbrot weights 1 / (k + n/7): the busiest source
        # gets ~3.4x the mean, the quietest ~0.4x, whatever the number of sources.
        self.n_sources = source_count(target_rels)
        self.src_rng = random.Random(seed * 7919 + 1)
        self.src_ids = [source_id(k) for k in range(self.n_sources)]
        shift = self.n_sources / 7
        self.src_cum = list(accumulate(1.0 / (k + shift) for k in range(self.n_sources)))
        self.src_counts = [0] * self.n_sources

    def pick_source(self) -> str:
        k = min(bisect_right(self.src_cum, self.src_rng.random() * self.src_cum[-1]), self.n_sources - 1)
        self.src_counts[k] += 1
        return self.src_ids[k]

    # ---- writing -------------------------------------------------------------------------
    def node(self, w, nid: str, label: str, name: str, aliases=(), **props) -> None:
        row = [nid, label, name, ";".join(aliases)] + [""] * (len(NODE_HEADER) - 4)
        for k, v in props.items():
            row[self._ncol[k]] = "" if v is None else str(v)
        w.writerow(row)
        self.node_counts[label] = self.node_counts.get(label, 0) + 1

    def rel(self, w, a: str, rtype: str, b: str, **props) -> None:
        row = [a, rtype, b] + [""] * (len(REL_HEADER) - 5) + [self.pick_source(), QUOTE]
        for k, v in props.items():
            if v is not None:
                row[self._rcol[k]] = str(v).lower() if isinstance(v, bool) else str(v)
        w.writerow(row)
        self.rel_counts[rtype] = self.rel_counts.get(rtype, 0) + 1

    _ncol = {h.split(":")[0]: i for i, h in enumerate(NODE_HEADER)}
    _rcol = {h.split(":")[0]: i for i, h in enumerate(REL_HEADER)}

    def maybe_status(self) -> dict:
        r = self.rng
        out = {}
        if r.random() < 0.5:
            out["status"] = r.choice(STATUSES)
        if r.random() < 0.4:
            out["since"] = str(r.randint(1995, 2024))
        if out.get("status") == "ended" and r.random() < 0.7:
            out["until"] = str(r.randint(int(out.get("since", 1995)), 2025))
        return out

    # ---- the industry ----------------------------------------------------------------------
    def run(self, nodes_path: Path, rels_path: Path) -> dict:
        r = self.rng
        nc = self.nc
        kinds = [k for k, _ in KINDS]
        kind_cum = list(accumulate(w for _, w in KINDS))
        company_kind = [kinds[bisect_right(kind_cum, r.random() * kind_cum[-1])] for _ in range(nc)]
        company_kind[0] = "automaker"  # hubs of every role exist at every scale
        by_kind: dict[str, list[int]] = {k: [] for k in kinds}
        for i, k in enumerate(company_kind):
            by_kind[k].append(i)
        for k in kinds:  # every role present even at the tiniest scale
            if not by_kind[k]:
                i = len(company_kind)
                company_kind.append(k)
                by_kind[k].append(i)
        while len(by_kind["media"]) < 2:  # a report carried by another outlet needs two
            by_kind["media"].append(len(company_kind))
            company_kind.append("media")
        nc = self.nc = len(company_kind)
        makers = by_kind["automaker"] + by_kind["assembler"]
        makers.sort()
        middlemen = sorted(by_kind["distributor"] + by_kind["logistics"] + by_kind["dealer group"])
        suppliers = by_kind["supplier"]
        nb, npl, nm, na = max(10, nc // 2), max(8, (nc * 2) // 5), max(20, nc * 2), max(6, (nc * 3) // 10)
        npe, nci = max(10, nc // 20), 2 * len(COUNTRIES)
        countries = COUNTRIES
        ncty = len(countries)
        zc, zb, zp, zm = _Zipf(nc), _Zipf(nb), _Zipf(npl), _Zipf(nm)
        zcty = _Zipf(ncty, 1.1)
        zmaker, zmid, zsup = _Zipf(len(makers)), _Zipf(len(middlemen)), _Zipf(len(suppliers))

        cid = [f"co-{i:07d}" for i in range(nc)]
        bid = [f"br-{i:07d}" for i in range(nb)]
        pid = [f"pl-{i:07d}" for i in range(npl)]
        mid = [f"vm-{i:07d}" for i in range(nm)]
        aid = [f"ag-{i:07d}" for i in range(na)]
        peid = [f"pe-{i:07d}" for i in range(npe)]
        ciid = [f"ci-{i:07d}" for i in range(nci)]
        ctyid = [f"country-{c[0]}" for c in countries]

        names: dict[str, list[str]] = {"Company": [], "Brand": [], "Plant": [], "VehicleModel": [], "Agreement": [],
                                       "Person": [], "City": []}
        used: dict[str, int] = {}

        def unique(base: str) -> str:
            n = used.get(base, 0) + 1
            used[base] = n
            return base if n == 1 else f"{base} {n}"

        def word(k: int = 2) -> str:
            return "".join(r.choice(_SYL) for _ in range(k)).capitalize()

        brand_owner = [makers[zmaker(r)] for _ in range(nb)]
        brand_owner[0] = makers[0]
        plant_operator = [makers[zmaker(r)] for _ in range(npl)]
        plants_of: dict[int, list[int]] = {}
        for p, c in enumerate(plant_operator):
            plants_of.setdefault(c, []).append(p)
        model_brand = [zb(r) for _ in range(nm)]
        company_country = [zcty(r) for _ in range(nc)]
        # ---- nodes -----------------------------------------------------------------------
        with open(nodes_path, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(NODE_HEADER)
            for rid, rname in REGIONS:
                self.node(w, f"region-{rid}", "Region", rname, kind="market area")
            for (iso, cname, _reg), xid in zip(countries, ctyid):
                self.node(w, xid, "Country", cname, iso2=iso.upper())
            for i in range(nc):
                kind = company_kind[i]
                base = unique(f"{word(r.choice((2, 3)))} {r.choice(_SUFFIX[kind])}")
                names["Company"].append(base)
                aliases = [base.split(" ")[0].upper()] if r.random() < 0.3 else []
                self.node(w, cid[i], "Company", base, aliases, kind=kind,
                          founded=r.randint(1900, 2023) if r.random() < 0.7 else None)
            for b in range(nb):
                name = unique(word(r.choice((2, 3))))
                names["Brand"].append(name)
                self.node(w, bid[b], "Brand", name)
            for p in range(npl):
                c = plant_operator[p]
                name = unique(f"{names['Company'][c].split(' ')[0]} {countries[company_country[c]][1]} Plant")
                names["Plant"].append(name)
                self.node(w, pid[p], "Plant", name, capacity_per_year=r.randrange(5_000, 500_001, 5_000),
                          status=r.choice(PLANT_STATUS), opened=str(r.randint(1950, 2025)))
            for m in range(nm):
                pt = r.choice(POWERTRAINS)
                name = unique(f"{names['Brand'][model_brand[m]]} {word(2)}")
                names["VehicleModel"].append(name)
                self.node(w, mid[m], "VehicleModel", name, segment=r.choice(SEGMENTS), body=r.choice(BODIES),
                          powertrain=pt, vehicle_class=r.choice(CLASSES),
                          ev_range_km=r.randint(150, 700) if pt == "electric" else None)
            for a in range(na):
                kind = r.choice(AGREEMENT_KINDS)
                name = unique(f"{word(2)} {kind}")
                names["Agreement"].append(name)
                self.node(w, aid[a], "Agreement", name, kind=kind)
            for c in range(nci):
                name = unique(word(r.choice((2, 3))))
                names["City"].append(name)
                self.node(w, ciid[c], "City", name)
            for e in range(npe):
                name = unique(f"{r.choice(FIRST_NAMES)} {word(3)}")
                names["Person"].append(name)
                self.node(w, peid[e], "Person", name, role=r.choice(PERSON_ROLES))

        routes: list[tuple[int, int]] = []  # (maker company, market country) pairs that have a route
        assembly_markets: dict[int, bool] = {}  # countries where a foreign brand is assembled
        with open(rels_path, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(REL_HEADER)
            # Geography.
            for (_iso, _n, reg), xid in zip(countries, ctyid):
                self.rel(w, xid, "LOCATED_IN", f"region-{reg}")
            for i in range(nc):
                self.rel(w, cid[i], "LOCATED_IN", ctyid[company_country[i]])
            plant_country = []
            for p in range(npl):
                c = plant_operator[p]
                cty = company_country[c] if r.random() < 0.6 else zcty(r)
                plant_country.append(cty)
                self.rel(w, pid[p], "LOCATED_IN", ctyid[cty])
                self.rel(w, cid[c], "OPERATES", pid[p], **self.maybe_status())
            # Brands and models.
            for b in range(nb):
                self.rel(w, bid[b], "BRAND_OF", cid[brand_owner[b]])
            last_of_brand: dict[int, int] = {}
            for m in range(nm):
                b = model_brand[m]
                self.rel(w, bid[b], "MAKES", mid[m])
                owner_plants = plants_of.get(brand_owner[b])
                p = r.choice(owner_plants) if owner_plants and r.random() < 0.8 else zp(r)
                self.rel(w, pid[p], "PRODUCES", mid[m], **self.maybe_status())
                seen = set()
                for _ in range(1 if r.random() < 0.5 else 2):
                    cty = zcty(r)
                    if cty not in seen:
                        seen.add(cty)
                        self.rel(w, mid[m], "TARGETS_MARKET", ctyid[cty])
                prev = last_of_brand.get(b)
                if prev is not None and r.random() < 0.3:
                    self.rel(w, mid[m], "REPLACES", mid[prev], since=str(r.randint(2000, 2025)))
                last_of_brand[b] = m
                if m > 0 and r.random() < 0.25:  # symmetric: stored once, from the newer model
                    self.rel(w, mid[m], "COMPETES_WITH", mid[zm(r, below=m)])
            # Ownership, partnerships, supply.
            for i in range(1, nc):
                if company_kind[i] != "holding" and r.random() < 0.2:
                    owner = by_kind["holding"][_pick_small(r, len(by_kind["holding"]))] \
                        if r.random() < 0.6 else zc(r, below=i)
                    if owner != i:
                        self.rel(w, cid[owner], "OWNS", cid[i], share_percent=round(r.uniform(5, 100), 1),
                                 **self.maybe_status())
            for i in range(1, nc):  # undirected pairs, stored once (newer -> older partner)
                seen = {}
                for _ in range(self._poisson(1.0)):
                    j = zc(r, below=i)
                    on = r.choice(PARTNER_ON)
                    if (j, on) not in seen:
                        seen[(j, on)] = True
                        self.rel(w, cid[i], "PARTNERS_WITH", cid[j], on=on, **self.maybe_status())
            for s in suppliers:
                seen = {}
                for _ in range(self._poisson(2.8)):
                    if r.random() < 0.75:
                        tgt = cid[makers[zmaker(r)]]
                    else:
                        tgt = pid[zp(r)]
                    if tgt not in seen:
                        seen[tgt] = True
                        self.rel(w, cid[s], "SUPPLIES", tgt, goods=r.choice(GOODS[2:]),
                                 mode=r.choice(MODES) if r.random() < 0.5 else None, **self.maybe_status())
            # Supply routes: maker -> 0..2 intermediaries -> market, one SHIPS_TO per hop.
            hops: dict[tuple[str, str], bool] = {}
            for _ in range(max(5, nc // 2)):
                maker = makers[zmaker(r)]
                market = zcty(r)
                start = cid[maker] if r.random() < 0.85 else bid[r.choice([b for b in range(min(nb, 50))
                                                                           if brand_owner[b] == maker] or [0])]
                chain = [start] + [cid[middlemen[zmid(r)]] for _ in range(r.choice((0, 1, 1, 2)))] + [ctyid[market]]
                goods = r.choice(GOODS[:2]) if r.random() < 0.8 else r.choice(GOODS)
                mode = r.choice(MODES)
                ok = len(set(chain)) == len(chain)
                if not ok:
                    continue
                for a, b in zip(chain, chain[1:]):
                    if (a, b) in hops:
                        continue
                    hops[(a, b)] = True
                    self.rel(w, a, "SHIPS_TO", b, goods=goods, mode=mode, **self.maybe_status())
                routes.append((maker, market))
            # Agreements.
            for a in range(na):
                parties = {}
                for _ in range(r.choice((2, 2, 3))):
                    parties.setdefault(zc(r), r.choice(("partner", "investor", "operator", "licensee", "licensor")))
                for c, role in parties.items():
                    self.rel(w, cid[c], "PARTY_TO", aid[a], role=role,
                             holds=(r.random() < 0.9), **self.maybe_status())
                if r.random() < 0.5:
                    self.rel(w, aid[a], "COVERS", mid[zm(r)])
                else:
                    self.rel(w, aid[a], "COVERS", pid[zp(r)])
                self.rel(w, aid[a], "TARGETS_MARKET", ctyid[zcty(r)])
            # Contract assembly: each assembler (or its plant) builds a few foreign brands from
            # imported kits; some brands name their home country themselves.
            for b in range(0, nb, 3):
                self.rel(w, bid[b], "LOCATED_IN", ctyid[company_country[brand_owner[b]]])
            for c in by_kind["assembler"]:
                here = company_country[c]
                for b in sorted({zb(r) for _ in range(r.choice((1, 2, 3)))}):
                    if company_country[brand_owner[b]] == here:
                        continue
                    start = r.choice(plants_of[c]) if plants_of.get(c) and r.random() < 0.5 else None
                    self.rel(w, pid[start] if start is not None else cid[c], "ASSEMBLES_FOR", bid[b],
                             kits=r.choice(("SKD kits", "CKD kits")), **self.maybe_status())
                    market = here if start is None else plant_country[start]
                    if market != company_country[brand_owner[b]]:  # the brand is foreign there
                        assembly_markets.setdefault(market, True)

            self._people_and_transfers(w, locals())

        # Samples for query parameters: uniform over each label (hubs included by chance),
        # plus the (maker, market) pairs that do have a route.
        def sample(ids: list[str], label: str, k: int = 500) -> list[dict]:
            idx = sorted(r.sample(range(len(ids)), min(k, len(ids))))
            return [{"id": ids[i], "name": names[label][i]} for i in idx]

        # A uniform sample of relationships, by endpoint names (for queries about a pair).
        label_of_prefix = {"co": "Company", "br": "Brand", "pl": "Plant", "vm": "VehicleModel", "ag": "Agreement",
                           "pe": "Person", "ci": "City"}
        place_names = {x: c[1] for x, c in zip(ctyid, countries)} | {f"region-{k}": n for k, n in REGIONS}

        def name_of(ident: str) -> str:
            label = label_of_prefix.get(ident[:2])
            return names[label][int(ident[3:])] if label and ident[2] == "-" else place_names[ident]

        total = sum(self.rel_counts.values())
        picks = sorted(r.sample(range(total), min(500, total)))
        edges, k = [], 0
        with open(rels_path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            for i, row in enumerate(reader):
                if k < len(picks) and i == picks[k]:
                    edges.append({"from": row[0], "from_name": name_of(row[0]), "type": row[1],
                                  "to": row[2], "to_name": name_of(row[2])})
                    k += 1
        seen_routes: dict[tuple[int, int], bool] = {}
        for pair in routes:
            seen_routes.setdefault(pair, True)
        route_list = list(seen_routes)
        route_sample = [route_list[i] for i in sorted(r.sample(range(len(route_list)), min(500, len(route_list))))]
        cited = [k for k, n in enumerate(self.src_counts) if n]
        return {
            "Company": sample(cid, "Company"),
            "Automaker": [{"id": cid[i], "name": names["Company"][i]} for i in makers[:500]],
            "Brand": sample(bid, "Brand"),
            "Plant": sample(pid, "Plant"),
            "VehicleModel": sample(mid, "VehicleModel"),
            "Agreement": sample(aid, "Agreement"),
            "Person": sample(peid, "Person"),
            "City": sample(ciid, "City"),
            # A source parameter takes an article's id (what `motorgraph articles` lists): uniform
            # over the sources that some row cites (drawn from the sources' own stream).
            "Source": [{"id": self.src_ids[k], "name": self.src_ids[k]}
                       for k in sorted(self.src_rng.sample(cited, min(500, len(cited))))],
            "Country": [{"id": x, "name": c[1]} for x, c in zip(ctyid, countries)],
            "Region": [{"id": f"region-{rid}", "name": n} for rid, n in REGIONS],
            "edges": edges,
            "routes": [{"maker": cid[m], "maker_name": names["Company"][m], "market": ctyid[c],
                        "market_name": countries[c][1]} for m, c in route_sample],
            # Markets where a foreign brand is assembled (for foreign-assembly, as routes for supply-routes).
            "assembly_markets": [{"id": ctyid[c], "name": countries[c][1]} for c in assembly_markets],
            "goods": GOODS, "modes": MODES, "partner_on": PARTNER_ON, "agreement_kinds": AGREEMENT_KINDS,
            "statuses": STATUSES, "company_kinds": kinds,
        }

    def _people_and_transfers(self, w, v: dict) -> None:
        """Cities, people (who speaks for whom, visits, interviews), media reports and asset
        transfers: the relationship types the rest of the industry does not use."""
        r, cid, ctyid, pid, bid, peid, ciid = (v[k] for k in ("r", "cid", "ctyid", "pid", "bid", "peid", "ciid"))
        zc, zb, zp, zcty = v["zc"], v["zb"], v["zp"], v["zcty"]
        media = v["by_kind"]["media"]
        for c in range(len(ciid)):
            self.rel(w, ciid[c], "LOCATED_IN", ctyid[c % len(ctyid)])
        for e in range(len(peid)):
            if r.random() < 0.75:
                self.rel(w, peid[e], "REPRESENTS", cid[zc(r)], role=r.choice(PERSON_ROLES))
            else:
                self.rel(w, peid[e], "REPRESENTS", ctyid[zcty(r)], role=r.choice(PERSON_ROLES[2:4]))
            seen = set()
            for _ in range(r.choice((0, 0, 1, 2))):
                where = r.choice((pid[zp(r)], ciid[r.randrange(len(ciid))], ctyid[zcty(r)], cid[zc(r)]))
                if where not in seen:
                    seen.add(where)
                    self.rel(w, peid[e], "VISITED", where, since=str(r.randint(2015, 2025)))
            if r.random() < 0.3:
                self.rel(w, peid[e], "INTERVIEWED_BY", cid[media[_pick_small(r, len(media))]])
        for i, m in enumerate(media):  # a report carried by the next outlet or two
            for j in sorted({(i + 1) % len(media), (i + r.choice((1, 2))) % len(media)} - {i}):
                self.rel(w, cid[m], "REPORTED_BY", cid[media[j]])
        # Asset transfers: a company (now and then a state or a person) buys a company, a
        # brand or a plant from a seller (from_party), often with a status, sometimes a condition.
        taken = set()
        for k in range(max(8, len(cid) // 25)):
            roll = r.random()
            buyer = cid[zc(r)] if roll < 0.85 else ctyid[zcty(r)] if roll < 0.9 else peid[r.randrange(len(peid))]
            label = ("Company", "Brand", "Plant", "Company", "Brand")[k % 5]
            # Hubs buy; what they buy is any company, or a brand or plant of any size.
            target = {"Company": lambda: cid[r.randrange(len(cid))], "Brand": lambda: bid[zb(r)],
                      "Plant": lambda: pid[zp(r)]}[label]()
            seller = cid[zc(r)]
            if buyer == target or (buyer, target) in taken or seller in (buyer, target):
                continue
            taken.add((buyer, target))
            props = self.maybe_status()
            if "status" not in props:
                props["status"] = r.choice(STATUSES)
            self.rel(w, buyer, "ACQUIRED", target, what=r.choice(ACQUIRED_WHAT[label]), from_party=seller,
                     condition=r.choice(CONDITIONS) if r.random() < 0.25 else None, **props)

    def _poisson(self, lam: float) -> int:
        """Knuth's method; small lambdas only."""
        import math

        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1


def _pick_small(rng: random.Random, n: int) -> int:
    """A Zipf-ish pick among a few items without building a table."""
    return min(int(n * rng.random() ** 3), n - 1)


def generate(scale: str | int, out_dir: Path, seed: int = DEFAULT_SEED) -> Dataset:
    """Write the data set for `scale` (a name of SCALES, or a relationship count) into out_dir."""
    target = SCALES[scale] if isinstance(scale, str) else int(scale)
    name = scale if isinstance(scale, str) else f"{target}-rels"
    out_dir = Path(out_dir)
    # A folder generated before (another scale, or the one-source layout of earlier versions)
    # must not leave sources behind: the loader reads every YAML file under the folder.
    shutil.rmtree(out_dir / SOURCES_DIR, ignore_errors=True)
    for old in (out_dir / "source.yaml", out_dir / "articles" / "bench-synthetic.txt"):
        old.unlink(missing_ok=True)
    gen = _Gen(target, seed)
    write_sources(out_dir / SOURCES_DIR, gen.n_sources)
    catalog = gen.run(out_dir / "nodes.csv", out_dir / "relationships.csv")
    ds = Dataset(name, seed, out_dir, dict(sorted(gen.node_counts.items())),
                 dict(sorted(gen.rel_counts.items())), catalog, gen.n_sources)
    manifest = {"scale": name, "seed": seed, "target_relationships": target, "sources": gen.n_sources,
                "facts_per_source": {"min": min(gen.src_counts), "max": max(gen.src_counts)},
                "nodes": ds.nodes, "relationships": ds.relationships, "catalog": catalog}
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return ds


def with_one_fact_changed(ds: Dataset, out_dir: Path) -> str:
    """A copy of `ds` in out_dir whose first SUPPLIES row states other goods (a non-key
    property: the same fact, changed); returns that fact as `start -[SUPPLIES]-> end`."""
    out_dir = Path(out_dir)
    shutil.copytree(ds.dir, out_dir, dirs_exist_ok=True)
    with open(ds.rels_csv, encoding="utf-8", newline="") as src, \
            open(out_dir / "relationships.csv", "w", encoding="utf-8", newline="") as dst:
        rows, writer = csv.reader(src), csv.writer(dst, lineterminator="\n")
        header = next(rows)
        writer.writerow(header)
        goods, changed = header.index("goods"), None
        for row in rows:
            if changed is None and row[1] == "SUPPLIES":
                row[goods] += " and software"
                changed = f"{row[0]} -[SUPPLIES]-> {row[2]}"
            writer.writerow(row)
    return changed


def load_dataset(out_dir: Path) -> Dataset:
    """The Dataset of a folder generate() wrote (from its manifest.json)."""
    m = json.loads((Path(out_dir) / "manifest.json").read_text(encoding="utf-8"))
    return Dataset(m["scale"], m["seed"], Path(out_dir), m["nodes"], m["relationships"], m["catalog"],
                   m.get("sources", 1))
