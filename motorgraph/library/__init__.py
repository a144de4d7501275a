"""The saved-query library: one `.cypher` file per question in queries/.

    from motorgraph.library import list_queries, run_query
    result = run_query(driver, "supply-routes", {"brand": "JAC", "market": "Russia"})
    result.rows            # plain dicts, graph values removed
    result.nodes           # every node of the answer's paths/nodes/relationships, as dicts

`format` reads the files' `//` headers and types parameters (`coerce_params`), `results`
turns the driver's records into plain rows and graph elements, `run` runs a query after
Neo4j has confirmed that its file only reads. The Neo4j Browser favorites export is in
motorgraph.browser.
"""

from motorgraph.library.format import (NAME_RE, PARAM_NAME_RE, TYPES, Column, Param, SavedQuery, Values,
                                        check_query, coerce_params, get_query, list_queries, parse_query,
                                        shown, used_params)
from motorgraph.library.results import QueryResult, node_dict, plain, plan_summary, relationship_dict
from motorgraph.library.run import QUERY_TYPES, check_read_only, explain, read_records, run_query

__all__ = [
    "NAME_RE", "PARAM_NAME_RE", "QUERY_TYPES", "TYPES", "Column", "Param", "QueryResult", "SavedQuery", "Values",
    "check_query", "check_read_only", "coerce_params", "explain", "get_query", "list_queries", "node_dict",
    "parse_query", "plain", "plan_summary", "read_records", "relationship_dict", "run_query", "shown", "used_params",
]
