"""Where the package's resources are: the same paths in a source checkout and in a wheel.

The top-level folders `loaders/`, `schema/`, `queries/` and `data/` are reached through
links inside the package (`motorgraph/loaders -> ../loaders`, ...), so every file has one
import name (`motorgraph.loaders.curated`) and one resource path in both layouts; the wheel
build follows the links and installs real folders in their place.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent

SCHEMA_DIR = PACKAGE_DIR / "schema"
QUERIES_DIR = PACKAGE_DIR / "queries"
DATA_DIR = PACKAGE_DIR / "data"
LOADERS_DIR = PACKAGE_DIR / "loaders"
NEO4J_DIR = PACKAGE_DIR / "neo4j"
MODEL_FILE = SCHEMA_DIR / "model.yaml"
CONSTRAINTS_FILE = SCHEMA_DIR / "constraints.cypher"
STYLE_FILE = SCHEMA_DIR / "style.grass"
# Only a checkout has docs/ (beside the package); commands that write docs take an explicit
# path otherwise.
DOCS_DIR = PACKAGE_DIR.parent / "docs"
