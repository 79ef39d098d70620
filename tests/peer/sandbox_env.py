"""What the Python peer tests share: the sandbox's address as tests/peer/run.sh passes it
(SANDBOX_HOST, SANDBOX_PORT), a connected DataStax Python driver session, and a keyspace of
their own."""

import os
import uuid

from cassandra.cluster import Cluster

HOST = os.environ["SANDBOX_HOST"]
PORT = int(os.environ["SANDBOX_PORT"])


def connect():
    """A cluster and its session, every node's pool open."""
    cluster = Cluster([HOST], port=PORT)
    return cluster, cluster.connect(wait_for_all_pools=True)


def create_keyspace(session, prefix):
    """Creates a keyspace named prefix + 8 random hex digits (SimpleStrategy, RF 1); its name."""
    name = prefix + uuid.uuid4().hex[:8]
    session.execute(
        "CREATE KEYSPACE %s WITH replication = {'class': 'SimpleStrategy', "
        "'replication_factor': 1}" % name
    )
    return name
