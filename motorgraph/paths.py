"""Where the package's resources are, in a wheel and in a source checkout."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent


# A wheel installs schema/, queries/, data/ and loaders/ inside the package; a source
# checkout keeps them at the repository root.
IN_CHECKOUT = not (PACKAGE_DIR / "schema").is_dir() and (REPO_ROOT / "schema" / "model.yaml").is_file()


def _resource(name: str) -> Path:
    return (REPO_ROOT if IN_CHECKOUT else PACKAGE_DIR) / name


SCHEMA_DIR = _resource("schema")
QUERIES_DIR = _resource("queries")
DATA_DIR = _resource("data")
LOADERS_DIR = _resource("loaders")
NEO4J_DIR = PACKAGE_DIR / "neo4j"
MODEL_FILE = SCHEMA_DIR / "model.yaml"
CONSTRAINTS_FILE = SCHEMA_DIR / "constraints.cypher"
STYLE_FILE = SCHEMA_DIR / "style.grass"
# Only a checkout has docs/; commands that write docs take an explicit path otherwise.
DOCS_DIR = REPO_ROOT / "docs"
