"""The Agno AgentOS 3.1.10 peer for Benchmarks/run.sh --with-agno.

Serves Agno's own /eval-runs routes (FastAPI, under uvicorn) over the SQLite file named by
AGNO_SQLITE and, when AGNO_POSTGRES_URL is set, a Postgres database (schema ai), with the same
db ids as the gateway's benchmark config ("local", "pg"), so the same wrk script drives both.

    AGNO_SQLITE=/tmp/x/evals.sqlite uvicorn serve_agno:app --app-dir Benchmarks/agno --port 18090
"""
import os

from agno.db.sqlite import SqliteDb
from agno.os import AgentOS

dbs = [SqliteDb(id="local", db_file=os.environ["AGNO_SQLITE"], eval_table="agno_eval_runs")]
if os.environ.get("AGNO_POSTGRES_URL"):
    from agno.db.postgres import PostgresDb

    url = os.environ["AGNO_POSTGRES_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    dbs.append(PostgresDb(id="pg", db_url=url, db_schema="ai", eval_table="agno_eval_runs"))

# AgentOS discovers databases through the components that use them; an agent per database (never
# run: this peer serves only the eval-runs API) registers each one.
from agno.agent import Agent  # noqa: E402

agents = [Agent(id=f"bench-{db.id}", name=f"bench-{db.id}", db=db) for db in dbs]
agent_os = AgentOS(id="evalgw-bench-peer", agents=agents, telemetry=False)
app = agent_os.get_app()
